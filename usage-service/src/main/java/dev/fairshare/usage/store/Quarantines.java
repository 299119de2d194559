package dev.fairshare.usage.store;

import dev.fairshare.usage.domain.UsageViews.Quarantined;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The inbound consumer's members (tables {@code consumer_member}) and the records it quarantined
 * ({@code quarantined_record}).
 */
@ApplicationScoped
public class Quarantines {
    /**
     * A member as it was left: the partitions it had ({@code topic/partition}) and whether it ran.
     */
    public record Member(List<String> partitions, boolean running) {}

    private final Transactions transactions;

    public Quarantines(Transactions transactions) {
        this.transactions = transactions;
    }

    /** The member's state as it was left, if it ever ran. */
    public Optional<Member> member(String group, String instance) {
        return query(
                "select partitions, running from consumer_member"
                        + " where consumer_group = ? and instance_id = ?",
                ps -> {
                    ps.setString(1, group);
                    ps.setString(2, instance);
                },
                rs -> {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    String[] parts = (String[]) rs.getArray(1).getArray();
                    return Optional.of(new Member(List.of(parts), rs.getBoolean(2)));
                });
    }

    /** Records whether the member runs (false only once it stopped cleanly). */
    public void running(String group, String instance, boolean running) {
        update(
                "insert into consumer_member (consumer_group, instance_id, running) values (?, ?,"
                        + " ?) on conflict (consumer_group, instance_id) do update set running ="
                        + " excluded.running, updated_at = now()",
                group,
                instance,
                running);
    }

    /** Records the partitions ({@code topic/partition}) the member was assigned. */
    public void assigned(String group, String instance, Collection<String> partitions) {
        update(
                "insert into consumer_member (consumer_group, instance_id, running, partitions)"
                        + " values (?, ?, true, ?) on conflict (consumer_group, instance_id) do update"
                        + " set partitions = excluded.partitions, updated_at = now()",
                group,
                instance,
                partitions);
    }

    private void update(String sql, String group, String instance, Object value) {
        transactions.inTransaction(
                c -> {
                    try (PreparedStatement ps = c.prepareStatement(sql)) {
                        ps.setString(1, group);
                        ps.setString(2, instance);
                        if (value instanceof Boolean b) {
                            ps.setBoolean(3, b);
                        } else {
                            Array a = c.createArrayOf("text", ((Collection<?>) value).toArray());
                            ps.setArray(3, a);
                        }
                        return ps.executeUpdate();
                    }
                });
    }

    /**
     * Records a quarantined record in {@code c}'s transaction; answers false when it was recorded
     * before.
     */
    public boolean record(
            Connection c,
            String platformId,
            String topic,
            int partition,
            long offset,
            String reason)
            throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "insert into quarantined_record"
                                + " (platform_id, topic, partition_no, offset_no, reason)"
                                + " values (?, ?, ?, ?, ?) on conflict do nothing")) {
            ps.setString(1, platformId);
            ps.setString(2, topic);
            ps.setInt(3, partition);
            ps.setLong(4, offset);
            ps.setString(5, reason);
            return ps.executeUpdate() == 1;
        }
    }

    /** How many records each platform has quarantined. */
    public Map<String, Long> countByPlatform() {
        return query(
                "select platform_id, count(*) from quarantined_record"
                        + " group by platform_id order by platform_id",
                ps -> {},
                rs -> {
                    Map<String, Long> out = new LinkedHashMap<>();
                    while (rs.next()) {
                        out.put(rs.getString(1), rs.getLong(2));
                    }
                    return out;
                });
    }

    /** The quarantined records of {@code platformId} (all when null), newest first, paged. */
    public List<Quarantined> list(String platformId, int page, int size) {
        return query(
                "select id, platform_id, topic, partition_no, offset_no, reason,"
                        + " quarantined_at from quarantined_record"
                        + " where ?::text is null or platform_id = ?"
                        + " order by id desc limit ? offset ?",
                ps -> {
                    ps.setString(1, platformId);
                    ps.setString(2, platformId);
                    ps.setInt(3, size);
                    ps.setLong(4, (long) page * size);
                },
                rs -> {
                    List<Quarantined> out = new ArrayList<>();
                    while (rs.next()) {
                        out.add(
                                new Quarantined(
                                        rs.getLong(1),
                                        rs.getString(2),
                                        rs.getString(3),
                                        rs.getInt(4),
                                        rs.getLong(5),
                                        rs.getString(6),
                                        rs.getTimestamp(7).toInstant()));
                    }
                    return out;
                });
    }

    /** How many records {@code platformId} (all when null) has quarantined. */
    public long count(String platformId) {
        return query(
                "select count(*) from quarantined_record where ?::text is null or platform_id = ?",
                ps -> {
                    ps.setString(1, platformId);
                    ps.setString(2, platformId);
                },
                rs -> {
                    rs.next();
                    return rs.getLong(1);
                });
    }

    /** Sets a statement's parameters. */
    private interface Parameters {
        void set(PreparedStatement ps) throws SQLException;
    }

    /** Reads a query's rows. */
    private interface Rows<T> {
        T read(ResultSet rs) throws SQLException;
    }

    /** A read in a transaction of its own. */
    private <T> T query(String sql, Parameters parameters, Rows<T> rows) {
        return transactions.inTransaction(
                c -> {
                    try (PreparedStatement ps = c.prepareStatement(sql)) {
                        parameters.set(ps);
                        try (ResultSet rs = ps.executeQuery()) {
                            return rows.read(rs);
                        }
                    }
                });
    }
}
