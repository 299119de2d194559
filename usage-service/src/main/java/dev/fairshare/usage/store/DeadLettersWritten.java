package dev.fairshare.usage.store;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
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

    private final EventStore store;

    public DeadLettersWritten(EventStore store) {
        this.store = store;
    }

    /** The sources among {@code candidates} whose dead letters were written already. */
    public Set<Source> written(Collection<Source> candidates) throws SQLException {
        Set<Source> out = new HashSet<>();
        if (candidates.isEmpty()) {
            return out;
        }
        try (Connection c = store.connection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "select 1 from dead_letter_written"
                                        + " where topic = ? and partition_no = ? and offset_no = ?")) {
            try {
                for (Source s : candidates) {
                    bind(ps, s);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            out.add(s);
                        }
                    }
                }
            } finally {
                // Agroal would commit an open transaction when the connection goes back
                c.rollback();
            }
        }
        return out;
    }

    /**
     * Records that the dead letters of {@code sources} were written and acknowledged; committed at
     * once, apart from the batch's own transaction, which may still fail.
     */
    public void record(Collection<Source> sources) throws SQLException {
        if (sources.isEmpty()) {
            return;
        }
        try (Connection c = store.connection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "insert into dead_letter_written (topic, partition_no, offset_no)"
                                        + " values (?, ?, ?) on conflict do nothing")) {
            try {
                for (Source s : sources) {
                    bind(ps, s);
                    ps.addBatch();
                }
                ps.executeBatch();
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    private static void bind(PreparedStatement ps, Source s) throws SQLException {
        ps.setString(1, s.topic());
        ps.setInt(2, s.partition());
        ps.setLong(3, s.offset());
    }
}
