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
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** The database takes a negative statement line only as a guarantee recoupment. */
@QuarkusTest
@QuarkusTestResource(
        value = FairshareTestResource.class,
        initArgs = @ResourceArg(name = "database", value = "settlement"))
class RecoupmentConstraintTest {
    @Inject AgroalDataSource dataSource;

    private static int insertLine(Connection c, String kind, String amount) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(
                    "insert into period (period, status) values ('1999-02', 'OPEN') on conflict do nothing");
            return s.executeUpdate(
                    "insert into statement_line (period, line_no, maker_id, platform_id, model_id, agreement_id, kind,"
                            + " basis, exact_amount, amount, currency, adjusts_period, path) values"
                            + " ('1999-02', 1, 'm', 'p', 'x', 'a', '"
                            + kind
                            + "', 40, "
                            + amount
                            + ", "
                            + amount
                            + ", 'USD', '1999-01', '{\"x\"}')");
        }
    }

    @Test
    void onlyARecoupmentOrALateAdjustmentMayBeNegative() throws Exception {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            assertThat(insertLine(c, "GUARANTEE_RECOUPMENT", "-30.00")).isEqualTo(1);
            c.rollback();
            // a dispute correction takes usage back from the model that held the ref
            assertThat(insertLine(c, "LATE_ADJUSTMENT", "-30.00")).isEqualTo(1);
            c.rollback();
            for (String kind :
                    new String[] {"ROYALTY", "UPSTREAM_ROYALTY", "MINIMUM_GUARANTEE_TOPUP"}) {
                assertThatThrownBy(() -> insertLine(c, kind, "-30.00"))
                        .isInstanceOf(SQLException.class)
                        .hasMessageContaining("statement_line_amount_check");
                c.rollback();
            }
            assertThatThrownBy(() -> insertLine(c, "REFUND", "1.00"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("statement_line_kind_check");
            c.rollback();
        }
    }
}
