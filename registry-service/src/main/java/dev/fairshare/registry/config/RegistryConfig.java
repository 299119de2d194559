package dev.fairshare.registry.config;

import io.smallrye.config.ConfigMapping;
import java.time.Duration;

/** The registry's own settings (prefix {@code registry}); application.properties sets each one. */
@ConfigMapping(prefix = "registry")
public interface RegistryConfig {
    /** The relay that publishes the outbox to the {@code registry.*} topics. */
    Outbox outbox();

    /** Partitions of a platform's {@code usage.in.<platformId>}, created when it is onboarded. */
    int inboundTopicPartitions();

    /** {@code max.message.bytes} of each new {@code usage.in.<platformId>}. */
    int inboundTopicMaxMessageBytes();

    /** What onboarding hands a platform for its Kafka clients, and how its password is hashed. */
    PlatformKafka platformKafka();

    interface Outbox {
        /** How long the relay waits after a batch smaller than {@link #batchSize()}. */
        Duration pollInterval();

        /** Rows the relay reads at a time. */
        int batchSize();
    }

    interface PlatformKafka {
        String bootstrapServers();

        String securityProtocol();

        /** Iterations of the platforms' SCRAM-SHA-512 credentials. */
        int scramIterations();
    }
}
