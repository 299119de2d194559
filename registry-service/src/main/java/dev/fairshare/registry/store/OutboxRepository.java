package dev.fairshare.registry.store;

import dev.fairshare.registry.domain.OutboxEntry;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

/** The outbox rows the relay publishes. */
@ApplicationScoped
public class OutboxRepository implements PanacheRepositoryBase<OutboxEntry, Long> {}
