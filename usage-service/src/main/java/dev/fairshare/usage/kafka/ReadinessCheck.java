package dev.fairshare.usage.kafka;

import dev.fairshare.usage.config.UsageConfig;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once the registry replica has caught up and the inbound consumer polls (an HTTP edge
 * without a consumer: once the replica has caught up).
 */
@Readiness
@ApplicationScoped
public class ReadinessCheck implements HealthCheck {
    private final RegistryReplica replica;
    private final UsageConsumer consumer;
    private final UsageConfig config;

    public ReadinessCheck(RegistryReplica replica, UsageConsumer consumer, UsageConfig config) {
        this.replica = replica;
        this.consumer = consumer;
        this.config = config;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("usage-ingestion")
                .status(replica.caughtUp() && (consumer.consuming() || !config.consumerEnabled()))
                .withData("registryReplicaCaughtUp", replica.caughtUp())
                .withData("consuming", consumer.consuming())
                .build();
    }
}
