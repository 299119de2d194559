package dev.fairshare.usage.kafka;

import dev.fairshare.usage.config.Tracing;
import dev.fairshare.usage.config.UsageConfig;
import dev.fairshare.usage.store.Outbox;
import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Publishes the committed deltas of {@code attributed_outbox} to {@code usage.attributed} (key
 * modelId) and deletes them once the broker acknowledged them. At least once: a delta re-sent after
 * a crash carries the same deltaId, which settlement applies only once.
 */
@ApplicationScoped
public class AttributedRelay {
    public static final String TOPIC = "usage.attributed";

    private final OutboxRelay relay;

    public AttributedRelay(
            AgroalDataSource dataSource,
            KafkaClients clients,
            UsageConfig config,
            Tracing tracing) {
        this.relay =
                new OutboxRelay(
                        "attributed-relay",
                        Outbox.attributed(dataSource),
                        TOPIC,
                        clients,
                        config.relayInterval(),
                        tracing);
    }

    void start(@Observes StartupEvent event) {
        relay.start();
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        relay.stop();
    }

    /** Sends one batch of deltas; returns how many it sent. */
    public int relayOnce() throws Exception {
        return relay.relayOnce();
    }
}
