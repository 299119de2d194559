package dev.fairshare.settlement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fairshare.localstack.FairshareTestResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.ThrowingConsumer;

/**
 * The database itself keeps a closed statement as it was: its lines are append-only (no UPDATE,
 * DELETE or TRUNCATE), and a CLOSED period can be neither changed nor deleted.
 */
@QuarkusTest
@QuarkusTestResource(
        value = FairshareTestResource.class,
        initArgs = @ResourceArg(name = "database", value = "settlement"))
class StatementImmutabilityTest {
    /** A period of this test alone, far before any other test's. */
    static final String PERIOD = "1998-01";

    @Inject AgroalDataSource dataSource;

    /** A closed statement of one line, written as a close writes it: OPEN, lines, CLOSED. */
    @BeforeEach
    void closedStatement() throws SQLException {
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            try (ResultSet rs =
                    s.executeQuery("select 1 from period where period = '" + PERIOD + "'")) {
                if (rs.next()) {
                    c.rollback();
                    return;
                }
            }
            s.execute("insert into period (period, status) values ('" + PERIOD + "', 'OPEN')");
            s.execute(
                    "insert into statement_line (period, line_no, maker_id, platform_id, model_id, agreement_id, kind,"
                            + " source_model_id, customer_type, basis, exact_amount, amount, currency, adjusts_period)"
                            + " values ('"
                            + PERIOD
                            + "', 1, 'm', 'p', 'x', 'a', 'ROYALTY', 'x', 'COMMERCIAL',"
                            + " 100, 20.000000000000000000001, 20.00, 'USD', null)");
            s.execute(
                    "update period set status = 'CLOSED', closed_at = now() where period = '"
                            + PERIOD
                            + "'");
            c.commit();
        }
    }

    @Test
    void aStatementLineCannotBeUpdated() throws SQLException {
        refused("update statement_line set amount = 0 where period = '" + PERIOD + "'");
        refused(
                "update statement_line set maker_id = 'someone-else' where period = '"
                        + PERIOD
                        + "'");
        assertThat(line()).isEqualTo("m|20.000000000000000000001|20.00");
    }

    @Test
    void aStatementLineCannotBeDeletedOrTruncated() throws SQLException {
        refused("delete from statement_line where period = '" + PERIOD + "'");
        refused("truncate statement_line");
        assertThat(line()).isEqualTo("m|20.000000000000000000001|20.00");
    }

    @Test
    void aClosedPeriodCannotBeReopenedChangedOrDeleted() throws SQLException {
        refused("update period set status = 'OPEN' where period = '" + PERIOD + "'");
        refused("update period set closed_at = now() where period = '" + PERIOD + "'");
        refused("delete from period where period = '" + PERIOD + "'");
        refused("truncate period cascade");
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement();
                ResultSet rs =
                        s.executeQuery(
                                "select status from period where period = '" + PERIOD + "'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("CLOSED");
        }
    }

    /** {@code sql} fails with a check violation naming the rule, and changes nothing. */
    private void refused(String sql) {
        ThrowingConsumer<Statement> run = s -> s.execute(sql);
        assertThatThrownBy(
                        () -> {
                            try (Connection c = dataSource.getConnection();
                                    Statement s = c.createStatement()) {
                                run.accept(s);
                            }
                        })
                .isInstanceOf(SQLException.class)
                .satisfies(
                        e -> {
                            assertThat(((SQLException) e).getSQLState()).isEqualTo("23514");
                            assertThat(e.getMessage())
                                    .containsAnyOf(
                                            "append-only", "CLOSED and final", "never deleted");
                        });
    }

    private String line() throws SQLException {
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement();
                ResultSet rs =
                        s.executeQuery(
                                "select maker_id, exact_amount, amount from statement_line where period = '"
                                        + PERIOD
                                        + "'")) {
            assertThat(rs.next()).isTrue();
            String out = rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getString(3);
            assertThat(rs.next()).isFalse();
            return out;
        }
    }
}
