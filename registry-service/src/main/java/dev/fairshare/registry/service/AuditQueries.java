package dev.fairshare.registry.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fairshare.registry.api.Checks;
import dev.fairshare.registry.api.Dto;
import dev.fairshare.registry.api.Page;
import io.quarkus.hibernate.orm.panache.Panache;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.hibernate.Session;

/** Reads the audit log, newest last, within what the caller may see. */
@ApplicationScoped
public class AuditQueries {
    private final ObjectMapper mapper;

    public AuditQueries(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * Entries matching the filters (each optional; {@code from} inclusive, {@code to} exclusive); a
     * MAKER or PLATFORM actor sees only the entries that name it.
     */
    @Transactional
    public Page<Dto.AuditEntryView> list(
            String entityType,
            String entityId,
            String from,
            String to,
            Actor actor,
            int page,
            int size) {
        Page.check(page, size);
        Checks c = new Checks();
        Instant fromAt = instant(c, "from", from);
        Instant toAt = instant(c, "to", to);
        c.throwIfAny();
        StringBuilder where = new StringBuilder(" where true");
        List<Object> params = new ArrayList<>();
        if (entityType != null) {
            where.append(" and entity_type = ?");
            params.add(entityType);
        }
        if (entityId != null) {
            where.append(" and entity_id = ?");
            params.add(entityId);
        }
        if (fromAt != null) {
            where.append(" and at >= ?");
            params.add(Timestamp.from(fromAt));
        }
        if (toAt != null) {
            where.append(" and at < ?");
            params.add(Timestamp.from(toAt));
        }
        if (actor.isMaker()) {
            where.append(" and ? = any(maker_ids)");
            params.add(actor.makerId());
        } else if (actor.isPlatform()) {
            where.append(" and ? = any(platform_ids)");
            params.add(actor.platformId());
        }
        return Panache.getEntityManager()
                .unwrap(Session.class)
                .doReturningWork(
                        conn -> {
                            long total;
                            try (PreparedStatement ps =
                                    conn.prepareStatement(
                                            "select count(*) from audit_log" + where)) {
                                bind(ps, params);
                                try (ResultSet rs = ps.executeQuery()) {
                                    rs.next();
                                    total = rs.getLong(1);
                                }
                            }
                            List<Dto.AuditEntryView> items = new ArrayList<>();
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
                                                new Dto.AuditEntryView(
                                                        rs.getLong(1),
                                                        rs.getTimestamp(2).toInstant().toString(),
                                                        rs.getString(3),
                                                        rs.getString(4),
                                                        rs.getString(5),
                                                        rs.getString(6),
                                                        rs.getString(7),
                                                        json(rs.getString(8)),
                                                        json(rs.getString(9)),
                                                        rs.getString(10)));
                                    }
                                }
                            }
                            return new Page<>(items, page, size, total);
                        });
    }

    private static int bind(PreparedStatement ps, List<Object> params)
            throws java.sql.SQLException {
        for (int i = 0; i < params.size(); i++) {
            ps.setObject(i + 1, params.get(i));
        }
        return params.size();
    }

    private JsonNode json(String text) {
        if (text == null) {
            return null;
        }
        try {
            return mapper.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable audit JSON", e);
        }
    }

    private static Instant instant(Checks c, String field, String value) {
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            c.add(field, "BAD_TIMESTAMP", field + " must be an ISO-8601 UTC instant");
            return null;
        }
    }
}
