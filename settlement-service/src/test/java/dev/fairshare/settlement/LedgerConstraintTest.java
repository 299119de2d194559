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

/** The database itself refuses an unbalanced journal entry and any change to a posted one. */
@QuarkusTest
@QuarkusTestResource(
        value = FairshareTestResource.class,
        initArgs = @ResourceArg(name = "database", value = "settlement"))
class LedgerConstraintTest {
    @Inject AgroalDataSource dataSource;

    private long entry(Connection c, String debit, String credit) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(
                    "insert into period (period, status) values ('1999-01', 'OPEN') on conflict do nothing");
            var rs =
                    s.executeQuery(
                            "insert into journal_entry (period, platform_id, currency, memo, posted_at)"
                                    + " values ('1999-01', 'p', 'USD', 'test', now()) returning id");
            rs.next();
            long id = rs.getLong(1);
            s.execute(
                    "insert into journal_line (entry_id, line_no, account, currency, debit, credit) values ("
                            + id
                            + ", 1, 'platform:p:payable', 'USD', "
                            + debit
                            + ", 0)");
            s.execute(
                    "insert into journal_line (entry_id, line_no, account, currency, debit, credit) values ("
                            + id
                            + ", 2, 'maker:m:receivable', 'USD', 0, "
                            + credit
                            + ")");
            return id;
        }
    }

    @Test
    void anUnbalancedEntryIsRefusedAtCommit() throws Exception {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            entry(c, "10.00", "9.99");
            assertThatThrownBy(c::commit)
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("does not balance");
            c.rollback();
        }
    }

    @Test
    void everyEntryOfATransactionIsCheckedNotOnlyTheFirst() throws Exception {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            entry(c, "10.00", "10.00");
            entry(c, "3.00", "3.00");
            entry(c, "7.00", "7.01");
            assertThatThrownBy(c::commit)
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("does not balance");
            c.rollback();
        }
    }

    @Test
    void aLineAddedLaterToABalancedEntryIsCheckedAgain() throws Exception {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            long id = entry(c, "10.00", "10.00");
            c.commit();
            try (Statement s = c.createStatement()) {
                s.execute(
                        "insert into journal_line (entry_id, line_no, account, currency, debit, credit) values ("
                                + id
                                + ", 3, 'maker:x:receivable', 'USD', 0, 1.00)");
            }
            assertThatThrownBy(c::commit)
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("does not balance");
            c.rollback();
        }
    }

    @Test
    void postedEntriesAreAppendOnly() throws Exception {
        long id;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            id = entry(c, "10.00", "10.00");
            c.commit();
            try (Statement s = c.createStatement()) {
                assertThatThrownBy(
                                () ->
                                        s.execute(
                                                "update journal_line set credit = 11 where entry_id = "
                                                        + id))
                        .hasMessageContaining("append-only");
                c.rollback();
                assertThatThrownBy(() -> s.execute("delete from journal_entry where id = " + id))
                        .hasMessageContaining("append-only");
                c.rollback();
                var rs =
                        s.executeQuery(
                                "select sum(debit) - sum(credit) from journal_line where entry_id = "
                                        + id);
                rs.next();
                assertThat(rs.getBigDecimal(1)).isEqualByComparingTo("0");
            }
            c.rollback();
        }
    }
}
