package dev.fairshare.usage;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.sql.Connection;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The rooms of usage-service and who may enter which. Top to bottom:
 *
 * <ul>
 *   <li>{@code api}: the HTTP resources, their DTOs, the problem+json mapping and the caller of a
 *       request ({@code Caller}, read from its token).
 *   <li>{@code service}: the use cases: the HTTP edge's ingestion ({@code IngestService}), the
 *       queries of the roll-ups and the events, the quarantine's review.
 *   <li>{@code store} (persistence, JDBC and COPY, every transaction through {@code Transactions})
 *       and {@code kafka} (messaging). The Kafka consumers are the other way in besides HTTP: the
 *       inbound consumer validates, attributes and stores what the platforms' topics hold, so
 *       {@code kafka} may use {@code store}; the store never uses Kafka (the outbox is a table; the
 *       relay in {@code kafka} sends it). The copy of the registry read from its topics ({@code
 *       RegistryReplica}) is a Kafka consumer too.
 *   <li>{@code domain}: the usage event, its validation and its attribution to models: no
 *       framework, no I/O; only Jackson's parser and tree, which read the event's JSON.
 * </ul>
 *
 * {@code problem} (the domain error answered as problem+json), {@code config} (the settings) and
 * {@code runtime} (the thread of a background loop) sit at the bottom: every layer but {@code
 * domain} may use them, and they use none.
 */
class ArchitectureTest {
    private static final String ROOT = "dev.fairshare.usage";

    private static final JavaClasses CLASSES =
            new ClassFileImporter()
                    .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                    .importPackages(ROOT);

    /** The methods that begin, set up or end a transaction on a JDBC connection. */
    private static final List<String> TRANSACTION_CONTROL =
            List.of(
                    "commit()",
                    "rollback()",
                    "setAutoCommit(boolean)",
                    "setTransactionIsolation(int)");

    @Test
    void packagesAreFreeOfCycles() {
        slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void layersAreRespected() {
        layeredArchitecture()
                .consideringOnlyDependenciesInLayers()
                .layer("Api")
                .definedBy(ROOT + ".api..")
                .layer("Service")
                .definedBy(ROOT + ".service..")
                .layer("Store")
                .definedBy(ROOT + ".store..")
                .layer("Kafka")
                .definedBy(ROOT + ".kafka..")
                .layer("Domain")
                .definedBy(ROOT + ".domain..")
                .layer("Problem")
                .definedBy(ROOT + ".problem..")
                .layer("Config")
                .definedBy(ROOT + ".config..")
                .layer("Runtime")
                .definedBy(ROOT + ".runtime..")
                .whereLayer("Api")
                .mayNotBeAccessedByAnyLayer()
                .whereLayer("Service")
                .mayOnlyBeAccessedByLayers("Api")
                .whereLayer("Kafka")
                .mayOnlyBeAccessedByLayers("Service")
                .whereLayer("Store")
                .mayOnlyBeAccessedByLayers("Service", "Kafka")
                .whereLayer("Domain")
                .mayOnlyBeAccessedByLayers("Api", "Service", "Store", "Kafka")
                .whereLayer("Domain")
                .mayNotAccessAnyLayer()
                .whereLayer("Problem")
                .mayOnlyBeAccessedByLayers("Api", "Service", "Store", "Kafka")
                .whereLayer("Problem")
                .mayNotAccessAnyLayer()
                .whereLayer("Config")
                .mayOnlyBeAccessedByLayers("Api", "Service", "Store", "Kafka")
                .whereLayer("Config")
                .mayNotAccessAnyLayer()
                .whereLayer("Runtime")
                .mayOnlyBeAccessedByLayers("Api", "Service", "Store", "Kafka")
                .whereLayer("Runtime")
                .mayNotAccessAnyLayer()
                .check(CLASSES);
    }

    @Test
    void domainUsesJavaAndJacksonOnly() {
        classes()
                .that()
                .resideInAPackage(ROOT + ".domain..")
                .should()
                .onlyDependOnClassesThat()
                .resideInAnyPackage(
                        "java..",
                        ROOT + ".domain..",
                        "com.fasterxml.jackson.core..",
                        "com.fasterxml.jackson.databind..",
                        "com.fasterxml.jackson.annotation..")
                .check(CLASSES);
    }

    @Test
    void noOtherServicesCode() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("dev.fairshare.registry..", "dev.fairshare.settlement..")
                .check(CLASSES);
    }

    @Test
    void onlyTransactionsBeginsOrEndsATransaction() {
        noClasses()
                .that()
                .doNotHaveFullyQualifiedName(ROOT + ".store.Transactions")
                .should()
                .callMethodWhere(
                        DescribedPredicate.describe(
                                "java.sql.Connection." + String.join(", ", TRANSACTION_CONTROL),
                                ArchitectureTest::controlsATransaction))
                .because(
                        "a transaction is work given to store.Transactions, which commits or rolls"
                                + " back and gives the connection back as it came")
                .check(CLASSES);
    }

    private static boolean controlsATransaction(JavaMethodCall call) {
        String signature =
                call.getTarget().getName()
                        + call.getTarget().getRawParameterTypes().stream()
                                .map(JavaClass::getName)
                                .collect(Collectors.joining(",", "(", ")"));
        return call.getTarget().getOwner().isAssignableTo(Connection.class)
                && TRANSACTION_CONTROL.contains(signature);
    }
}
