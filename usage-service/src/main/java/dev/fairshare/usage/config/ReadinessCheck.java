package dev.fairshare.usage.config;

import dev.fairshare.usage.attribution.RegistryReplica;
import dev.fairshare.usage.kafka.UsageConsumer;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the registry replica has caught up and the inbound consumer polls. */
@Readiness
@ApplicationScoped
public class ReadinessCheck implements HealthCheck {
    private final RegistryReplica replica;
    private final UsageConsumer consumer;

    public ReadinessCheck(RegistryReplica replica, UsageConsumer consumer) {
        this.replica = replica;
        this.consumer = consumer;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("usage-ingestion")
                .status(replica.caughtUp() && consumer.consuming())
                .withData("registryReplicaCaughtUp", replica.caughtUp())
                .withData("consuming", consumer.consuming())
                .build();
    }
}
