package dev.fairshare.registry.store;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.hibernate.Session;

/**
 * The {@code audit_log} table, in the caller's transaction. It is append-only: the table refuses
 * UPDATE, DELETE and TRUNCATE (V3 migration); the JSON columns are {@code jsonb}.
 */
@ApplicationScoped
public class AuditLogStore {
    /** One row; {@code before} and {@code after} are JSON text (null when absent). */
    public record Entry(
            long id,
            Instant at,
            String actor,
            String role,
            String entityType,
            String entityId,
            String action,
            String before,
            String after,
            String reason) {}

    /** What to read: each criterion optional ({@code from} inclusive, {@code to} exclusive). */
    public record Filter(
            String entityType,
            String entityId,
            Instant from,
            Instant to,
            String makerId,
            String platformId) {}

    @Inject EntityManager em;

    /** Appends one entry that the given makers and platforms may read. */
    public void insert(Entry e, Set<String> makerIds, Set<String> platformIds) {
        em.unwrap(Session.class)
                .doWork(
                        conn -> {
                            try (PreparedStatement ps =
                                    conn.prepareStatement(
                                            "insert into audit_log (at, actor, role, entity_type,"
                                                    + " entity_id, action, before, after, reason,"
                                                    + " maker_ids, platform_ids) values (?, ?, ?,"
                                                    + " ?, ?, ?, cast(? as jsonb), cast(? as"
                                                    + " jsonb), ?, ?, ?)")) {
                                ps.setTimestamp(1, Timestamp.from(e.at()));
                                ps.setString(2, e.actor());
                                ps.setString(3, e.role());
                                ps.setString(4, e.entityType());
                                ps.setString(5, e.entityId());
                                ps.setString(6, e.action());
                                ps.setString(7, e.before());
                                ps.setString(8, e.after());
                                ps.setString(9, e.reason());
                                ps.setArray(
                                        10,
                                        conn.createArrayOf(
                                                "text", makerIds.toArray(String[]::new)));
                                ps.setArray(
                                        11,
                                        conn.createArrayOf(
                                                "text", platformIds.toArray(String[]::new)));
                                ps.executeUpdate();
                            }
                        });
    }

    /** The rows matching {@code f}, oldest first, {@code size} of them from page {@code page}. */
    public Rows<Entry> find(Filter f, int page, int size) {
        StringBuilder where = new StringBuilder(" where true");
        List<Object> params = new ArrayList<>();
        if (f.entityType() != null) {
            where.append(" and entity_type = ?");
            params.add(f.entityType());
        }
        if (f.entityId() != null) {
            where.append(" and entity_id = ?");
            params.add(f.entityId());
        }
        if (f.from() != null) {
            where.append(" and at >= ?");
            params.add(Timestamp.from(f.from()));
        }
        if (f.to() != null) {
            where.append(" and at < ?");
            params.add(Timestamp.from(f.to()));
        }
        if (f.makerId() != null) {
            where.append(" and ? = any(maker_ids)");
            params.add(f.makerId());
        } else if (f.platformId() != null) {
            where.append(" and ? = any(platform_ids)");
            params.add(f.platformId());
        }
        return em.unwrap(Session.class)
                .doReturningWork(
                        conn ->
                                new Rows<>(
                                        items(conn, where, params, page, size),
                                        total(conn, where, params)));
    }

    private static long total(java.sql.Connection conn, CharSequence where, List<Object> params)
            throws SQLException {
        try (PreparedStatement ps =
                conn.prepareStatement("select count(*) from audit_log" + where)) {
            bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static List<Entry> items(
            java.sql.Connection conn, CharSequence where, List<Object> params, int page, int size)
            throws SQLException {
        List<Entry> items = new ArrayList<>();
        try (PreparedStatement ps =
                conn.prepareStatement(
                        "select id, at, actor, role, entity_type, entity_id,"
                                + " action, before::text, after::text, reason"
                                + " from audit_log"
                                + where
                                + " order by id limit ? offset ?")) {
            int n = bind(ps, params);
            ps.setInt(n + 1, size);
            ps.setLong(n + 2, (long) page * size);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    items.add(
                            new Entry(
                                    rs.getLong(1),
                                    rs.getTimestamp(2).toInstant(),
                                    rs.getString(3),
                                    rs.getString(4),
                                    rs.getString(5),
                                    rs.getString(6),
                                    rs.getString(7),
                                    rs.getString(8),
                                    rs.getString(9),
                                    rs.getString(10)));
                }
            }
        }
        return items;
    }

    private static int bind(PreparedStatement ps, List<Object> params) throws SQLException {
        for (int i = 0; i < params.size(); i++) {
            ps.setObject(i + 1, params.get(i));
        }
        return params.size();
    }
}
