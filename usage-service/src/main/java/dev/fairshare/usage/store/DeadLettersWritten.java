package dev.fairshare.usage.store;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/**
 * Which inbound records have been written to {@code usage.dlq} (table {@code dead_letter_written}):
 * a batch that is retried after its transaction failed skips the dead letters it already wrote.
 */
@ApplicationScoped
public class DeadLettersWritten {
    /** Where a record was read: its topic, partition and offset. */
    public record Source(String topic, int partition, long offset) {}

    private final Transactions transactions;

    public DeadLettersWritten(Transactions transactions) {
        this.transactions = transactions;
    }

    /** The sources among {@code candidates} whose dead letters were written already. */
    public Set<Source> written(Collection<Source> candidates) {
        if (candidates.isEmpty()) {
            return new HashSet<>();
        }
        return inTransaction(
                "select 1 from dead_letter_written"
                        + " where topic = ? and partition_no = ? and offset_no = ?",
                ps -> {
                    Set<Source> out = new HashSet<>();
                    for (Source s : candidates) {
                        bind(ps, s);
                        try (ResultSet rs = ps.executeQuery()) {
                            if (rs.next()) {
                                out.add(s);
                            }
                        }
                    }
                    return out;
                });
    }

    /**
     * Records that the dead letters of {@code sources} were written and acknowledged; committed at
     * once, apart from the batch's own transaction, which may still fail.
     */
    public void record(Collection<Source> sources) {
        if (sources.isEmpty()) {
            return;
        }
        inTransaction(
                "insert into dead_letter_written (topic, partition_no, offset_no)"
                        + " values (?, ?, ?) on conflict do nothing",
                ps -> {
                    for (Source s : sources) {
                        bind(ps, s);
                        ps.addBatch();
                    }
                    return ps.executeBatch();
                });
    }

    /** Work on a prepared statement. */
    @FunctionalInterface
    private interface Prepared<T> {
        T run(PreparedStatement ps) throws SQLException;
    }

    /** {@code work} on {@code sql}, prepared in a transaction of its own. */
    private <T> T inTransaction(String sql, Prepared<T> work) {
        return transactions.inTransaction(
                c -> {
                    try (PreparedStatement ps = c.prepareStatement(sql)) {
                        return work.run(ps);
                    }
                });
    }

    private static void bind(PreparedStatement ps, Source s) throws SQLException {
        ps.setString(1, s.topic());
        ps.setInt(2, s.partition());
        ps.setLong(3, s.offset());
    }
}
