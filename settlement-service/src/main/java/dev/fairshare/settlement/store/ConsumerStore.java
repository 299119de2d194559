package dev.fairshare.settlement.store;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a consumer keeps beside what it applies, in the same transaction: the next offset of each
 * partition of its topic (where it resumes after any restart), and the records it could not read.
 */
@ApplicationScoped
public class ConsumerStore {

    /** A record that could not be read, parked with the reason. */
    public record Unreadable(
            String topic, int partition, long offset, String payload, String error) {}

    /** Parks {@code records} in {@code unreadable_delta} (once each). */
    public void park(Connection c, List<Unreadable> records) throws SQLException {
        if (records.isEmpty()) {
            return;
        }
        try (PreparedStatement ps =
                c.prepareStatement(
                        "insert into unreadable_delta (topic, partition_no, offset_no, payload, error, received_at)"
                                + " values (?, ?, ?, ?, ?, now()) on conflict do nothing")) {
            for (Unreadable u : records) {
                ps.setObject(1, u.topic());
                ps.setObject(2, u.partition());
                ps.setObject(3, u.offset());
                ps.setObject(4, u.payload());
                ps.setObject(5, u.error());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** Stores the next offset of each partition of {@code topic} for {@code group}. */
    public void saveOffsets(Connection c, String group, String topic, Map<Integer, Long> next)
            throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "insert into consumer_offset (consumer_group, topic, partition_no, next_offset) values (?, ?, ?, ?)"
                                + " on conflict (consumer_group, topic, partition_no) do update set next_offset = excluded.next_offset")) {
            for (Map.Entry<Integer, Long> e : next.entrySet()) {
                ps.setString(1, group);
                ps.setString(2, topic);
                ps.setInt(3, e.getKey());
                ps.setLong(4, e.getValue());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** The stored next offset of each partition of {@code topic} for {@code group}. */
    public Map<Integer, Long> offsets(Connection c, String group, String topic)
            throws SQLException {
        Map<Integer, Long> stored = new HashMap<>();
        try (PreparedStatement ps =
                c.prepareStatement(
                        "select partition_no, next_offset from consumer_offset where consumer_group = ? and topic = ?")) {
            ps.setString(1, group);
            ps.setString(2, topic);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    stored.put(rs.getInt(1), rs.getLong(2));
                }
            }
        }
        return stored;
    }
}
