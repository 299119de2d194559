package dev.fairshare.usage.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** The usage service's settings (prefix {@code usage}); each has a working local default. */
@ConfigMapping(prefix = "usage")
public interface UsageConfig {
    /** Consumer group of the inbound consumers; offsets are kept in PostgreSQL under this name. */
    @WithDefault("usage-service")
    String consumerGroup();

    /**
     * This instance's id in the consumer group (Kafka static membership, {@code
     * group.instance.id}): it must be unique among the running instances and the same after a
     * restart, so that a restarted instance takes its partitions back at once. The Kubernetes
     * manifest sets the pod's name. Unset: {@code usage-service-<host name>-<HTTP port>}.
     */
    Optional<String> groupInstanceId();

    /**
     * How long the group waits for a member that stopped heart-beating (a crash) before giving its
     * partitions to the others. A restart within it resumes with no rebalance at all; longer than a
     * restart of the process (seconds) and the first back-off of a crash-looping pod, short enough
     * that an instance that never returns (its node lost) holds its partitions for a minute at most
     * (docs/operations.md).
     */
    @WithDefault("60s")
    Duration sessionTimeout();

    /**
     * Records a poll may return; they are shared out among the writers. Larger batches add up more
     * events per roll-up row and commit less often, but hold more memory while they wait on the
     * database (6,000 keeps the service under 300 MB with the heap of its image;
     * docs/benchmarks-history.md).
     */
    @WithDefault("6000")
    int maxPollRecords();

    /**
     * Whether this instance stores what the platforms' inbound topics hold. false: an HTTP edge
     * only, which validates events and writes them to Kafka (acks=all) for the instances that store
     * them; edges then scale apart from the storing instances, which the inbound partitions bound.
     */
    @WithDefault("true")
    boolean consumerEnabled();

    /**
     * Writers of the inbound consumer: each owns a share of the assigned partitions and commits its
     * batches (with their partitions' offsets) on its own database connection.
     */
    @WithDefault("2")
    int writers();

    /** Events older than this are rejected with EVENT_TOO_OLD. */
    @WithDefault("400d")
    Duration maxEventAge();

    /** Events further in the future than this are rejected with EVENT_IN_FUTURE. */
    @WithDefault("5m")
    Duration maxClockSkew();

    /**
     * Bytes one event may take as sent; a larger one is rejected with EVENT_TOO_LARGE (well below
     * Kafka's 1 MB record limit).
     */
    @WithDefault("65536")
    int maxEventBytes();

    /** Largest number of events in one POST /usage-events. */
    @WithDefault("10000")
    int maxBatchEvents();

    /**
     * Pause between two folds of the batches' roll-up sums into the roll-ups and the {@code
     * usage.attributed} deltas. Readers of the roll-ups see the sums either way; settlement sees
     * them after the fold. A longer pause adds more batches up into each row and delta, and leaves
     * readers more batches to add up (at full ingestion on two cores, ~1 s for 10 s of batches).
     */
    @WithDefault("5s")
    Duration rollupFoldInterval();

    /** Pause of the attributed-delta relay when it finds nothing to send. */
    @WithDefault("100ms")
    Duration relayInterval();
}
