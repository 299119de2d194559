package dev.fairshare.registry;

import static com.tngtech.archunit.core.domain.JavaCall.Predicates.target;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.core.domain.properties.HasOwner.Predicates.With.owner;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import org.junit.jupiter.api.Test;

/**
 * The registry's rooms and the way its dependencies point, checked on the compiled classes.
 *
 * <p>Packages by layer, top to bottom:
 *
 * <ul>
 *   <li>api: {@code api} (resources, request and response mapping, the problem mapper);
 *   <li>service: {@code service} (use cases, transactions, the views they return and the outbox
 *       they write) and {@code auth} (accounts, API keys, tokens, the caller of a request);
 *   <li>store: {@code store} (Panache repositories: the only callers of Panache queries) and kafka:
 *       {@code kafka} (the outbox relay and the platforms' Kafka credentials), side by side;
 *   <li>domain: {@code domain} (the JPA entities: mapping annotations, no behaviour);
 *   <li>{@code problem} (the domain error and its field errors), usable from every layer.
 * </ul>
 */
class ArchitectureTest {
    static final JavaClasses CLASSES =
            new ClassFileImporter()
                    .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                    .importPackages("dev.fairshare.registry");

    @Test
    void noPackageCycles() {
        slices().matching("dev.fairshare.registry.(*)..").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void layersPointDown() {
        layeredArchitecture()
                .consideringOnlyDependenciesInLayers()
                .withOptionalLayers(true)
                .layer("api")
                .definedBy("dev.fairshare.registry.api..")
                .layer("service")
                .definedBy("dev.fairshare.registry.service..", "dev.fairshare.registry.auth..")
                .layer("store")
                .definedBy("dev.fairshare.registry.store..")
                .layer("kafka")
                .definedBy("dev.fairshare.registry.kafka..")
                .layer("domain")
                .definedBy("dev.fairshare.registry.domain..")
                .layer("problem")
                .definedBy("dev.fairshare.registry.problem..")
                .layer("config")
                .definedBy("dev.fairshare.registry.config..")
                .whereLayer("api")
                .mayNotBeAccessedByAnyLayer()
                .whereLayer("service")
                .mayOnlyBeAccessedByLayers("api")
                .whereLayer("store")
                .mayOnlyBeAccessedByLayers("service")
                .whereLayer("kafka")
                .mayOnlyBeAccessedByLayers("service")
                .whereLayer("domain")
                .mayOnlyBeAccessedByLayers("service", "store", "kafka")
                .whereLayer("problem")
                .mayOnlyBeAccessedByLayers("api", "service", "store", "kafka", "domain", "config")
                .whereLayer("config")
                .mayOnlyBeAccessedByLayers("api", "service", "store", "kafka")
                .check(CLASSES);
    }

    /**
     * The entities are mapping only: Java, the JPA and Hibernate mapping types, and Panache's base.
     */
    @Test
    void domainHoldsMappingOnly() {
        classes()
                .that()
                .resideInAPackage("dev.fairshare.registry.domain..")
                .should()
                .onlyDependOnClassesThat()
                .resideInAnyPackage(
                        "java..",
                        "jakarta.persistence..",
                        "org.hibernate.annotations..",
                        "org.hibernate.type..",
                        "io.quarkus.hibernate.orm.panache..",
                        "dev.fairshare.registry.domain..")
                .check(CLASSES);
    }

    /** Queries and writes go through a repository, never an entity's inherited statics. */
    @Test
    void onlyRepositoriesCallPanache() {
        noClasses()
                .that()
                .resideOutsideOfPackages(
                        "dev.fairshare.registry.store..", "dev.fairshare.registry.domain..")
                .should()
                .callMethodWhere(target(owner(assignableTo(PanacheEntityBase.class))))
                .check(CLASSES);
    }

    /**
     * SQL runs in {@code store}: no package but {@code store} and the entities' {@code domain}
     * depends on Panache, Hibernate or the JPA API (not even a lock mode, a sort, a query or a
     * Hibernate exception), and not even the entities hold an entity manager or a Hibernate
     * session.
     */
    @Test
    void persistenceStaysInStore() {
        noClasses()
                .that()
                .resideOutsideOfPackages(
                        "dev.fairshare.registry.store..", "dev.fairshare.registry.domain..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.quarkus.hibernate..",
                        "io.quarkus.panache..",
                        "org.hibernate..",
                        "jakarta.persistence..")
                .check(CLASSES);
        noClasses()
                .that()
                .resideOutsideOfPackages("dev.fairshare.registry.store..")
                .should()
                .dependOnClassesThat()
                .belongToAnyOf(
                        jakarta.persistence.EntityManager.class,
                        io.quarkus.hibernate.orm.panache.Panache.class,
                        org.hibernate.Session.class)
                .check(CLASSES);
    }

    @Test
    void noOtherServicesPackages() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("dev.fairshare.usage..", "dev.fairshare.settlement..")
                .check(CLASSES);
    }
}
