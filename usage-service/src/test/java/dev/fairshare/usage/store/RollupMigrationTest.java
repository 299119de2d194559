package dev.fairshare.usage.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fairshare.localstack.Database;
import dev.fairshare.localstack.FairshareTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * V5 replaces the roll-up deltas by batch rows: an upgrade must fold what the old table still
 * holds, exactly once, before it drops it.
 */
@QuarkusTest
@QuarkusTestResource(
        value = FairshareTestResource.class,
        initArgs = @ResourceArg(name = "database", value = "usage"))
class RollupMigrationTest {

    @Test
    void v5FoldsThePendingDeltasIntoTheRollUpsBeforeDroppingTheirTable() throws Exception {
        Database db = FairshareTestResource.infrastructure().database();
        String name = "usage_v5_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection admin =
                        DriverManager.getConnection(db.jdbcUrl("usage"), db.user(), db.password());
                Statement s = admin.createStatement()) {
            s.execute("create database " + name);
        }
        String url = db.jdbcUrl(name);
        Flyway.configure()
                .dataSource(url, db.user(), db.password())
                .locations("classpath:db/migration")
                .target("4")
                .load()
                .migrate();
        try (Connection c = DriverManager.getConnection(url, db.user(), db.password());
                Statement s = c.createStatement()) {
            // a folded row, two pending deltas of its key (one with an unusual unit) and one of
            // another key
            s.execute(
                    "insert into usage_rollup values ('p', 'm', '2026-11-03', 'COMMERCIAL', 'USD', 10, 1.50,"
                            + " 10, 100, 0, 0, 0, 0, '{\"frames\": 2}')");
            s.execute(
                    "insert into usage_rollup_delta values"
                            + " ('p', 'm', '2026-11-03', 'COMMERCIAL', 'USD', 2, 0.25, 2, 20, 0, 0, 0, 0.5, '{}'),"
                            + " ('p', 'm', '2026-11-03', 'COMMERCIAL', 'USD', 1, 0.005, 1, 0, 0, 0, 0, 0, '{\"frames\": 1.5}'),"
                            + " ('p', 'm', '2026-11-04', 'COMMERCIAL', 'USD', 4, 2, 4, 0, 0, 0, 0, 0, '{}')");
        }
        Flyway.configure()
                .dataSource(url, db.user(), db.password())
                .locations("classpath:db/migration")
                .load()
                .migrate();
        try (Connection c = DriverManager.getConnection(url, db.user(), db.password());
                Statement s = c.createStatement()) {
            try (ResultSet rs =
                    s.executeQuery(
                            "select day, events, revenue, requests, input_tokens, gpu_seconds, other_units::text"
                                    + " from usage_rollup order by day")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("2026-11-03");
                assertThat(rs.getLong(2)).isEqualTo(13);
                assertThat(rs.getBigDecimal(3)).isEqualByComparingTo("1.755");
                assertThat(rs.getBigDecimal(4)).isEqualByComparingTo("13");
                assertThat(rs.getBigDecimal(5)).isEqualByComparingTo("120");
                assertThat(rs.getBigDecimal(6)).isEqualByComparingTo("0.5");
                assertThat(rs.getString(7)).isEqualTo("{\"frames\": 3.5}");
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("2026-11-04");
                assertThat(rs.getLong(2)).isEqualTo(4);
                assertThat(rs.getBigDecimal(3)).isEqualByComparingTo("2");
                assertThat(rs.next()).isFalse();
            }
            try (ResultSet rs =
                    s.executeQuery(
                            "select to_regclass('usage_rollup_delta') is null,"
                                    + " (select sum(events) from usage_rollup_all)")) {
                rs.next();
                assertThat(rs.getBoolean(1)).isTrue();
                assertThat(rs.getLong(2)).isEqualTo(17);
            }
        }
    }
}
