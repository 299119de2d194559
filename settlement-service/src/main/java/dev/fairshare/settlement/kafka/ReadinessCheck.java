package dev.fairshare.settlement.kafka;

import dev.fairshare.settlement.registry.RegistryReplica;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the registry replica has caught up and usage.attributed is being consumed. */
@Readiness
@ApplicationScoped
public class ReadinessCheck implements HealthCheck {
    @Inject RegistryReplica replica;

    @Inject AttributedConsumer consumer;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("settlement")
                .status(replica.caughtUp() && consumer.consuming())
                .withData("registryReplicaCaughtUp", replica.caughtUp())
                .withData("consuming", consumer.consuming())
                .build();
    }
}
