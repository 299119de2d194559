package dev.fairshare.settlement.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Settlement's settings (prefix {@code settlement}). */
@ConfigMapping(prefix = "settlement")
public interface SettlementConfig {
    /** How long after a period's end finance may close it without {@code force=true}. */
    @WithDefault("3d")
    Duration closeGrace();

    /** Consumer group reading usage.attributed; its offsets are kept in PostgreSQL. */
    @WithDefault("settlement-service")
    String consumerGroup();

    /**
     * This instance's id in the consumer group (Kafka static membership, {@code
     * group.instance.id}): unique among the running instances and the same after a restart, so that
     * a restarted instance takes its partitions back at once. The Kubernetes manifest sets the
     * pod's name. Unset: {@code settlement-service-<host name>-<HTTP port>}.
     */
    Optional<String> groupInstanceId();

    /**
     * How long the group waits for a member that stopped heart-beating (a crash) before giving its
     * partitions to the others: longer than a restart, short enough that an instance that never
     * returns holds its partitions for a minute at most (docs/operations.md).
     */
    @WithDefault("60s")
    Duration sessionTimeout();
}
