package dev.fairshare.settlement.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fairshare.localstack.Database;
import dev.fairshare.localstack.FairshareTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.junit.jupiter.api.Test;

/**
 * The schema is one baseline script, B13.1, standing for the migrations V1 to V13: an empty
 * database gets it; a database those migrations built starts as it is; one they left part of the
 * way is refused with the way out. Flyway runs with the service's own configuration (the one
 * Quarkus migrates with at start), on databases of this test's own.
 */
@QuarkusTest
@QuarkusTestResource(
        value = FairshareTestResource.class,
        initArgs = @ResourceArg(name = "database", value = "settlement"))
class SchemaBaselineTest {
    @Inject Flyway service;

    private final Database db = FairshareTestResource.infrastructure().database();

    private Flyway flyway(String url) {
        return Flyway.configure(Thread.currentThread().getContextClassLoader())
                .configuration(service.getConfiguration())
                .dataSource(url, db.user(), db.password())
                .load();
    }

    @Test
    void anEmptyDatabaseGetsTheBaselineAndNothingElse() {
        String url = db.createScratch("settlement_baseline");

        assertThat(flyway(url).migrate().migrationsExecuted).isEqualTo(1);

        assertThat(db.schemaHistory(url))
                .containsExactly("13.1 SQL_BASELINE db/migration/B13.1__settlement.sql true");
    }

    @Test
    void aDatabaseTheMigrationsV1ToV13BuiltStartsAsItIs() {
        String url = db.createScratch("settlement_chain");
        flyway(url).migrate();
        db.recordVersionedMigrations(url, 13);

        assertThat(flyway(url).migrate().migrationsExecuted).isZero();

        List<String> history = db.schemaHistory(url);
        assertThat(history).hasSize(13);
        assertThat(history.get(13 - 1)).isEqualTo("13 SQL V13__migration.sql true");
    }

    @Test
    void aDatabaseTheMigrationsLeftPartOfTheWayIsRefusedWithTheWayOut() {
        String url = db.createScratch("settlement_partial");
        flyway(url).migrate();
        db.recordVersionedMigrations(url, 4);

        assertThatThrownBy(() -> flyway(url).migrate())
                .isInstanceOf(FlywayException.class)
                .hasMessageContaining(
                        "the settlement database is at schema version 4, older than V13: start the build of"
                                + " git commit e6ea0c8 (it holds the migrations V1 to V13) once to"
                                + " upgrade it, then this one");
        assertThat(db.schemaHistory(url)).hasSize(4);
    }
}
