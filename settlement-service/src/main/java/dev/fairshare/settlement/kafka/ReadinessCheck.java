package dev.fairshare.settlement.kafka;

import dev.fairshare.settlement.registry.RegistryReplica;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the registry replica has caught up and usage.attributed is being consumed. */
@Readiness
@ApplicationScoped
public class ReadinessCheck implements HealthCheck {
    private final RegistryReplica replica;
    private final AttributedConsumer consumer;

    public ReadinessCheck(RegistryReplica replica, AttributedConsumer consumer) {
        this.replica = replica;
        this.consumer = consumer;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("settlement")
                .status(replica.caughtUp() && consumer.consuming())
                .withData("registryReplicaCaughtUp", replica.caughtUp())
                .withData("consuming", consumer.consuming())
                .build();
    }
}
