package dev.fairshare.registry.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fairshare.registry.domain.OutboxEntry;
import dev.fairshare.registry.store.OutboxRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;

/** Records a message in the caller's transaction; {@code OutboxRelay} publishes it after commit. */
@ApplicationScoped
public class Outbox {
    private final OutboxRepository rows;
    private final ObjectMapper mapper;

    public Outbox(OutboxRepository rows, ObjectMapper mapper) {
        this.rows = rows;
        this.mapper = mapper;
    }

    /**
     * Records {@code entity} for {@code topic} under {@code key}; answers the row's id, which the
     * relay sends as the record's {@code outbox-id} header.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public long record(String topic, String key, Object entity) {
        OutboxEntry e = new OutboxEntry();
        e.topic = topic;
        e.key = key;
        e.payload = payload(entity);
        e.createdAt = Instant.now();
        rows.persist(e);
        return e.id;
    }

    /**
     * The record value published for {@code entity}: its JSON, or null (a tombstone) for null. The
     * contract test pins these values.
     */
    String payload(Object entity) {
        try {
            return entity == null ? null : mapper.writeValueAsString(entity);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("cannot serialise " + entity, ex);
        }
    }
}
