package dev.fairshare.registry.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fairshare.registry.store.AuditLogStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The one place that writes the audit log: each registry change calls {@link #record} inside its
 * own transaction, so the change and its entry commit together or not at all ({@link AuditLogStore}
 * appends it).
 */
@ApplicationScoped
public class Audit {
    /** The parties an entry concerns: the makers and platforms that may read it. */
    public record Parties(Set<String> makers, Set<String> platforms) {
        public static Parties maker(String makerId) {
            return of(makerId, null);
        }

        public static Parties platform(String platformId) {
            return of(null, platformId);
        }

        public static Parties of(String makerId, String platformId) {
            Set<String> m = new TreeSet<>();
            Set<String> p = new TreeSet<>();
            if (makerId != null) {
                m.add(makerId);
            }
            if (platformId != null) {
                p.add(platformId);
            }
            return new Parties(m, p);
        }

        /** These parties and more makers (e.g. the maker that loses a ref). */
        public Parties andMakers(java.util.Collection<String> makerIds) {
            Set<String> m = new TreeSet<>(makers);
            m.addAll(makerIds);
            return new Parties(m, platforms);
        }
    }

    @Inject ObjectMapper mapper;
    @Inject JsonWebToken token;
    @Inject AuditLogStore store;

    /** An entry by the caller of the current request (the token's subject and role). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void record(
            String entityType,
            String entityId,
            String action,
            Object before,
            Object after,
            String reason,
            Parties parties) {
        String role =
                token.getGroups() == null || token.getGroups().isEmpty()
                        ? "UNKNOWN"
                        : String.join(",", new TreeSet<>(token.getGroups()));
        store.insert(
                entry(
                        token.getSubject(),
                        role,
                        entityType,
                        entityId,
                        action,
                        before,
                        after,
                        reason),
                parties.makers(),
                parties.platforms());
    }

    /**
     * An entry by the service itself, outside a request, of an entity it created (e.g. the initial
     * admin from configuration); it concerns no maker or platform.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void recordCreatedBySystem(
            String entityType, String entityId, Object created, String reason) {
        Parties none = Parties.of(null, null);
        store.insert(
                entry("system", "SYSTEM", entityType, entityId, "CREATE", null, created, reason),
                none.makers(),
                none.platforms());
    }

    private AuditLogStore.Entry entry(
            String actor,
            String role,
            String entityType,
            String entityId,
            String action,
            Object before,
            Object after,
            String reason) {
        return new AuditLogStore.Entry(
                0,
                Instant.now(),
                actor == null ? "unknown" : actor,
                role,
                entityType,
                entityId,
                action,
                json(before),
                json(after),
                reason);
    }

    private String json(Object value) {
        if (value == null) {
            return null;
        }
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value, e);
        }
    }
}
