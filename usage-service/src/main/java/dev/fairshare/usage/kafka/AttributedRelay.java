package dev.fairshare.usage.kafka;

import dev.fairshare.usage.config.UsageConfig;
import dev.fairshare.usage.store.Outbox;
import dev.fairshare.usage.store.Transactions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;

/**
 * Publishes the committed deltas of {@code attributed_outbox} to {@code usage.attributed} (key
 * modelId) and deletes them once the broker acknowledged them. At least once: a delta re-sent after
 * a crash carries the same deltaId, which settlement applies only once.
 */
@ApplicationScoped
public class AttributedRelay extends OutboxRelay {
    public static final String TOPIC = "usage.attributed";

    @Inject Transactions transactions;
    @Inject UsageConfig config;

    public AttributedRelay() {
        super("attributed-relay", TOPIC);
    }

    @Override
    protected Outbox outbox() {
        return Outbox.attributed(transactions);
    }

    @Override
    protected Duration idle() {
        return config.relayInterval();
    }
}
