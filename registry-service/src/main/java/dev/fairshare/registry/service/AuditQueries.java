package dev.fairshare.registry.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fairshare.registry.problem.Checks;
import dev.fairshare.registry.store.AuditLogStore;
import dev.fairshare.registry.store.Rows;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Reads the audit log, newest last, within what the caller may see. */
@ApplicationScoped
public class AuditQueries {
    @Inject ObjectMapper mapper;
    @Inject AuditLogStore store;

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
        Rows<AuditLogStore.Entry> rows =
                store.find(
                        new AuditLogStore.Filter(
                                entityType,
                                entityId,
                                fromAt,
                                toAt,
                                actor.isMaker() ? actor.makerId() : null,
                                actor.isPlatform() ? actor.platformId() : null),
                        page,
                        size);
        return Page.of(rows, page, size, this::view);
    }

    private Dto.AuditEntryView view(AuditLogStore.Entry e) {
        return new Dto.AuditEntryView(
                e.id(),
                e.at().toString(),
                e.actor(),
                e.role(),
                e.entityType(),
                e.entityId(),
                e.action(),
                json(e.before()),
                json(e.after()),
                e.reason());
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
