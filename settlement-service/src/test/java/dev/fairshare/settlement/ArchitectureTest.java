package dev.fairshare.settlement;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.syntax.ArchRuleDefinition;
import java.sql.Connection;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The rooms of settlement-service and who may use whom, checked on the compiled main classes.
 *
 * <p>Packages by layer, top to bottom:
 *
 * <ul>
 *   <li><b>api</b>: {@code api} (resources, request and response records, problem mapping), {@code
 *       web} (the dashboard's pages: an api of HTML forms) and {@code auth} (who the caller of a
 *       request is). They reach the rest through {@code service}, never {@code store} or the
 *       messaging rooms directly.
 *   <li><b>service</b>: {@code service} (use cases; each owns its transactions).
 *   <li><b>report</b>: {@code report} (the documents rendered from statements and payout runs: CSV,
 *       remittance PDF, payment files); used by api and service, it reads engine values only.
 *   <li><b>messaging</b>: {@code kafka} (the usage.attributed consumer and the readiness check of
 *       the two consumers) and {@code registry} (the in-memory replica of the registry's compacted
 *       topics, read on a Kafka consumer of its own); used by service. The consumer is an inbound
 *       adapter: it folds each delta into the roll-ups through {@code store} in its own
 *       transaction, so messaging may use store, never the other way round (the delta it reads is
 *       {@code store.UsageDelta}).
 *   <li><b>store</b>: {@code store} (persistence over JDBC, one class per table family, and {@code
 *       Transactions}, the one way to a connection and a transaction).
 *   <li><b>domain</b>: {@code domain}, the records of what is stored and shown (payout runs and
 *       lines, profiles, rates, declared pools, posted entries, periods): the store builds them,
 *       services hand them out, api renders them. Plain records over {@code java..} and engine
 *       values.
 *   <li><b>engine</b>: {@code engine}, the money core: pure Java, it depends on {@code java..}
 *       only.
 *   <li>beside every layer but engine: {@code problem} (the domain error every layer may throw and
 *       api maps to problem+json) and {@code config} (the service's settings, the Kafka clients'
 *       among them).
 * </ul>
 */
class ArchitectureTest {
    private static final String ROOT = "dev.fairshare.settlement";
    private static JavaClasses classes;

    /** The methods that begin, set up or end a transaction on a JDBC connection. */
    private static final List<String> TRANSACTION_CONTROL =
            List.of(
                    "commit()",
                    "rollback()",
                    "setAutoCommit(boolean)",
                    "setTransactionIsolation(int)");

    @BeforeAll
    static void importMainClasses() {
        classes =
                new ClassFileImporter()
                        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages(ROOT);
    }

    @Test
    void packagesAreFreeOfCycles() {
        slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void layersAreRespected() {
        layeredArchitecture()
                .consideringOnlyDependenciesInLayers()
                .layer("Api")
                .definedBy(ROOT + ".api..", ROOT + ".web..", ROOT + ".auth..")
                .layer("Service")
                .definedBy(ROOT + ".service..")
                .layer("Report")
                .definedBy(ROOT + ".report..")
                .layer("Messaging")
                .definedBy(ROOT + ".kafka..", ROOT + ".registry..")
                .layer("Store")
                .definedBy(ROOT + ".store..")
                .layer("Domain")
                .definedBy(ROOT + ".domain..")
                .layer("Engine")
                .definedBy(ROOT + ".engine..")
                .layer("Problem")
                .definedBy(ROOT + ".problem..")
                .layer("Config")
                .definedBy(ROOT + ".config..")
                .whereLayer("Api")
                .mayNotBeAccessedByAnyLayer()
                .whereLayer("Service")
                .mayOnlyBeAccessedByLayers("Api")
                .whereLayer("Report")
                .mayOnlyBeAccessedByLayers("Api", "Service")
                .whereLayer("Messaging")
                .mayOnlyBeAccessedByLayers("Service")
                .whereLayer("Store")
                .mayOnlyBeAccessedByLayers("Service", "Messaging")
                .whereLayer("Domain")
                .mayOnlyBeAccessedByLayers("Api", "Service", "Report", "Messaging", "Store")
                .whereLayer("Domain")
                .mayOnlyAccessLayers("Engine")
                .whereLayer("Engine")
                .mayOnlyBeAccessedByLayers(
                        "Api", "Service", "Report", "Messaging", "Store", "Domain")
                .whereLayer("Problem")
                .mayOnlyBeAccessedByLayers(
                        "Api", "Service", "Report", "Messaging", "Store", "Config")
                .whereLayer("Config")
                .mayOnlyBeAccessedByLayers("Api", "Service", "Report", "Messaging", "Store")
                .whereLayer("Problem")
                .mayOnlyAccessLayers("Config")
                .whereLayer("Config")
                .mayOnlyAccessLayers("Problem")
                .check(classes);
    }

    @Test
    void engineDependsOnJavaOnly() {
        ArchRuleDefinition.classes()
                .that()
                .resideInAPackage(ROOT + ".engine..")
                .should()
                .onlyDependOnClassesThat()
                .resideInAnyPackage("java..", ROOT + ".engine..")
                .check(classes);
    }

    @Test
    void domainDependsOnJavaAndEngineOnly() {
        ArchRuleDefinition.classes()
                .that()
                .resideInAPackage(ROOT + ".domain..")
                .should()
                .onlyDependOnClassesThat()
                .resideInAnyPackage("java..", ROOT + ".domain..", ROOT + ".engine..")
                .check(classes);
    }

    @Test
    void noOtherServicesPackages() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("dev.fairshare.registry..", "dev.fairshare.usage..")
                .check(classes);
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
                .check(classes);
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
