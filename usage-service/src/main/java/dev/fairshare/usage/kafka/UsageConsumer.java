package dev.fairshare.usage.kafka;

import dev.fairshare.usage.config.UsageConfig;
import dev.fairshare.usage.store.DeadLettersWritten;
import dev.fairshare.usage.store.EventStore;
import dev.fairshare.usage.store.Quarantines;
import dev.fairshare.usage.store.Transactions;
import dev.fairshare.usage.store.Transactions.DataAccessException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.WakeupException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Reads every platform's {@code usage.in.<platformId>} topic (pattern subscription) and hands each
 * poll's records to the writers of their partitions ({@link PartitionWriters}); a writer commits
 * its share as one PostgreSQL transaction ({@link InboundBatches}): new raw events, their roll-ups,
 * their deltas for {@code usage.attributed}, and the consumer offsets of its partitions. Between
 * two polls it attributes the stored events that a registry change resolves ({@link
 * LateAttribution}). On assignment it seeks to the offsets stored in PostgreSQL, so a crash at any
 * instant neither loses nor double-counts an event. Invalid records go to {@code usage.dlq}
 * (acknowledged before the offsets that pass them are committed), once each: a retried batch skips
 * those it wrote ({@link DeadLettersWritten}).
 */
@ApplicationScoped
public class UsageConsumer {
    public static final Pattern INBOUND = Pattern.compile("usage\\.in\\..+");
    public static final String INBOUND_PREFIX = "usage.in.";

    private static final Logger LOG = Logger.getLogger(UsageConsumer.class);

    private final KafkaClients clients;
    private final EventStore store;
    private final UsageConfig config;
    private final MeterRegistry metrics;
    private final StaticMembership membership;
    private final PoisonRecovery recovery;
    private final Quarantines quarantines;
    private final RegistryReplica replica;
    private final InboundBatches batches;
    private final LateAttribution lateAttribution;
    private final ConcurrentLinkedQueue<CompletableFuture<Void>> barriers =
            new ConcurrentLinkedQueue<>();
    private volatile boolean running;
    private volatile boolean consuming;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private KafkaClientMetrics clientMetrics;
    private Thread thread;
    // whether the partitions of this member must be examined before it consumes again (only the
    // consumer's thread reads and writes it)
    private boolean examine;

    UsageConsumer(
            KafkaClients clients,
            EventStore store,
            Transactions transactions,
            RegistryReplica replica,
            UsageConfig config,
            MeterRegistry metrics,
            PoisonRecovery recovery,
            Quarantines quarantines,
            InboundBatches batches,
            @ConfigProperty(name = "quarkus.http.port") int httpPort) {
        this.recovery = recovery;
        this.quarantines = quarantines;
        this.clients = clients;
        this.store = store;
        this.replica = replica;
        this.config = config;
        this.metrics = metrics;
        this.batches = batches;
        this.lateAttribution = new LateAttribution(store, transactions, replica);
        this.membership =
                StaticMembership.of(
                        config.groupInstanceId(),
                        "usage-service",
                        httpPort,
                        config.sessionTimeout());
    }

    void start(@Observes StartupEvent event) {
        if (!config.consumerEnabled()) {
            LOG.info(
                    "usage.consumer-enabled=false: an HTTP edge only; other instances store the events");
            return;
        }
        running = true;
        LOG.infof(
                "consumer group %s, static member %s (session timeout %s)",
                config.consumerGroup(), membership.instanceId(), membership.sessionTimeout());
        thread = new Thread(this::run, "usage-consumer");
        thread.start();
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        running = false;
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        if (thread != null) {
            thread.join(15_000);
        }
    }

    /**
     * Closes the Kafka consumer wherever it is and starts a new one, which resumes from the offsets
     * stored in PostgreSQL (a rebalance or a crash looks the same to the data).
     */
    public synchronized void restart() throws InterruptedException {
        stop(null);
        consuming = false;
        start(null);
    }

    /**
     * Completes once every batch that this instance's writers had taken before the call is
     * committed: batches after it are attributed with the registry replica as it is now.
     */
    public CompletableFuture<Void> drained() {
        CompletableFuture<Void> barrier = new CompletableFuture<>();
        barriers.add(barrier);
        return barrier;
    }

    private void releaseBarriers() {
        for (CompletableFuture<Void> b; (b = barriers.poll()) != null; ) {
            b.complete(null);
        }
    }

    /** Whether this instance stores the inbound events (not an HTTP edge only). */
    public boolean storesEvents() {
        return config.consumerEnabled();
    }

    /** True once the consumer polls (the registry replica has caught up). */
    public boolean consuming() {
        return consuming;
    }

    private void run() {
        while (running && !replica.caughtUp()) {
            sleep(100);
        }
        lateAttribution.requestAll();
        // a member that did not stop cleanly died, possibly reading a record it cannot hold
        examine = previousRunDied();
        while (running) {
            if (examine && !recoverPartitions()) {
                continue;
            }
            consume();
        }
        try {
            quarantines.running(config.consumerGroup(), membership.instanceId(), false);
        } catch (DataAccessException e) {
            LOG.warnf("could not record the clean stop of the consumer: %s", e.toString());
        }
    }

    /**
     * One Kafka consumer's life: it polls until the service stops or a failure ends it; the next
     * one resumes from the offsets stored in PostgreSQL.
     */
    private void consume() {
        // one batch a writer, whose partitions are paused until it has committed it (see
        // pauseFullWriters): the records in memory are about a batch per writer
        // (docs/benchmarks-history.md)
        PartitionWriters writers = new PartitionWriters(config.writers(), "usage-writer", 1);
        KafkaConsumer<byte[], byte[]> c =
                clients.consumer(config.consumerGroup(), membership, config.maxPollRecords());
        try {
            consumer = c;
            // the client's own metrics, records-lag per partition among them
            clientMetrics = new KafkaClientMetrics(c);
            clientMetrics.bindTo(metrics);
            c.subscribe(INBOUND, new SeekToStored(c, writers));
            consuming = true;
            while (running) {
                pollOnce(c, writers);
            }
            commitToKafka(c, writers.drain());
        } catch (WakeupException e) {
            // shutting down
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        } catch (FencedInstanceIdException e) {
            if (running) {
                LOG.errorf(
                        "another running instance has joined %s as %s: give each instance its"
                                + " own usage.group-instance-id; retrying in 10 s",
                        config.consumerGroup(), membership.instanceId());
                sleep(10_000);
            }
        } catch (ExecutionException | RuntimeException e) {
            if (running) {
                LOG.errorf(
                        e instanceof ExecutionException ? e.getCause() : e,
                        "usage consumer failed; it restarts from the offsets stored in PostgreSQL");
                sleep(1000);
            }
        } finally {
            // revokes the partitions first (the writers' batches are committed, see
            // SeekToStored); a stopping instance leaves the group so that the others take its
            // partitions at once, a consumer replaced after an error keeps its place
            closeQuietly(c, !running);
            writers.close();
            // partitions created by a rolled-back transaction are gone again
            store.forgetPartitions();
            consumer = null;
            if (clientMetrics != null) {
                clientMetrics.close();
                clientMetrics = null;
            }
        }
    }

    /**
     * Collects the writers' committed batches, runs what waits between two polls, and hands the
     * next poll's records to the writers.
     */
    private void pollOnce(KafkaConsumer<byte[], byte[]> c, PartitionWriters writers)
            throws InterruptedException, ExecutionException {
        commitToKafka(c, writers.finished());
        writers.checkHealthy();
        if (lateAttribution.pending() || !barriers.isEmpty()) {
            // batches parsed before the registry changed are committed first
            commitToKafka(c, writers.drain());
            lateAttribution.attributeChangedModels();
            releaseBarriers();
        }
        // a full writer's partitions wait in Kafka, not in memory; while one is full the loop
        // comes back soon to hand it its next batch once it is free
        boolean waiting = pauseFullWriters(c, writers);
        ConsumerRecords<byte[], byte[]> records;
        try {
            records = c.poll(Duration.ofMillis(waiting ? 5 : 200));
        } catch (WakeupException | FencedInstanceIdException e) {
            throw e;
        } catch (KafkaException e) {
            // the poll would fail the same way again: find the record first
            examine = true;
            throw e;
        }
        if (!records.isEmpty()) {
            dispatch(c, records, writers);
        }
    }

    /** Records that this member runs; answers whether it was running before (it died). */
    private boolean previousRunDied() {
        while (running) {
            try {
                boolean died =
                        quarantines
                                .member(config.consumerGroup(), membership.instanceId())
                                .map(Quarantines.Member::running)
                                .orElse(false);
                quarantines.running(config.consumerGroup(), membership.instanceId(), true);
                return died;
            } catch (DataAccessException e) {
                LOG.warnf("cannot read the consumer's state, retrying: %s", e.toString());
                sleep(1000);
            }
        }
        return false;
    }

    /**
     * Finds, in the partitions this member had, the record that a reader cannot hold or read,
     * stores the records before it and quarantines it ({@link PoisonRecovery}); answers whether it
     * is done (after a failure it waits a second, and the caller tries again).
     */
    private boolean recoverPartitions() {
        try {
            Set<TopicPartition> partitions =
                    quarantines
                            .member(config.consumerGroup(), membership.instanceId())
                            .map(m -> PoisonRecovery.partitions(m.partitions()))
                            .orElse(Set.of());
            long started = System.nanoTime();
            List<DeadLettersWritten.Source> quarantined =
                    recovery.recover(config.consumerGroup(), partitions, batches::write);
            LOG.infof(
                    "examined %d partitions after an unclean stop in %d ms: %d records quarantined"
                            + " %s",
                    partitions.size(),
                    (System.nanoTime() - started) / 1_000_000,
                    quarantined.size(),
                    quarantined);
            examine = false;
            return true;
        } catch (Exception e) {
            LOG.errorf(e, "examining the inbound partitions failed; retrying in 1 s");
            sleep(1000);
            return false;
        }
    }

    /**
     * Pauses the partitions of the writers that hold as many batches as they may and resumes the
     * others; answers whether any is paused. Positions do not move: a paused partition's records
     * are returned by a later poll, after its writer has committed the batch before them.
     */
    private static boolean pauseFullWriters(
            KafkaConsumer<byte[], byte[]> c, PartitionWriters writers) {
        List<TopicPartition> pause = new ArrayList<>();
        List<TopicPartition> resume = new ArrayList<>();
        for (TopicPartition tp : c.assignment()) {
            (writers.full(writers.writerOf(tp)) ? pause : resume).add(tp);
        }
        c.pause(pause);
        c.resume(resume);
        return !pause.isEmpty();
    }

    /** Shares a poll's records out to the writers of their partitions. */
    private void dispatch(
            KafkaConsumer<byte[], byte[]> c,
            ConsumerRecords<byte[], byte[]> records,
            PartitionWriters writers)
            throws InterruptedException, ExecutionException {
        List<List<ConsumerRecord<byte[], byte[]>>> shares = new ArrayList<>();
        for (int i = 0; i < writers.size(); i++) {
            shares.add(new ArrayList<>());
        }
        for (TopicPartition tp : records.partitions()) {
            shares.get(writers.writerOf(tp)).addAll(records.records(tp));
        }
        for (int i = 0; i < shares.size(); i++) {
            List<ConsumerRecord<byte[], byte[]>> share = shares.get(i);
            if (!share.isEmpty()) {
                commitToKafka(c, writers.submit(i, () -> batches.write(share)));
            }
        }
    }

    /**
     * Informational only (lag monitoring, autoscaling): the positions that count are PostgreSQL's.
     */
    private static void commitToKafka(
            KafkaConsumer<byte[], byte[]> c, List<Map<TopicPartition, Long>> committed) {
        if (committed.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
        committed.forEach(m -> m.forEach((tp, off) -> commit.put(tp, new OffsetAndMetadata(off))));
        c.commitAsync(commit, null);
    }

    /** The platform whose inbound topic {@code topic} is (any other topic: its name). */
    static String platformOf(String topic) {
        return topic.startsWith(INBOUND_PREFIX) ? topic.substring(INBOUND_PREFIX.length()) : topic;
    }

    /** On assignment: seek to the positions stored in PostgreSQL (the beginning where none). */
    private final class SeekToStored implements ConsumerRebalanceListener {
        private final KafkaConsumer<byte[], byte[]> c;
        private final PartitionWriters writers;
        private boolean rejoined;

        SeekToStored(KafkaConsumer<byte[], byte[]> c, PartitionWriters writers) {
            this.c = c;
            this.writers = writers;
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (!rejoined) {
                // A static member that comes back is handed the partitions it had, without a
                // rebalance. If it led the group, the topics created meanwhile (new platforms of
                // the pattern subscription) are assigned to no one, and stay so until the next
                // topic appears: the leader only notices changes after it joined. One rebalance
                // now assigns them; a member that does not lead rejoins without one.
                rejoined = true;
                c.enforceRebalance("a static member is back: assign the topics created meanwhile");
            }
            // what to examine if this process dies
            List<String> assigned = new ArrayList<>();
            c.assignment().forEach(tp -> assigned.add(tp.topic() + "/" + tp.partition()));
            try {
                quarantines.assigned(config.consumerGroup(), membership.instanceId(), assigned);
            } catch (DataAccessException e) {
                throw new IllegalStateException("cannot record the assignment", e);
            }
            if (partitions.isEmpty()) {
                return;
            }
            int fromStart;
            try {
                fromStart = StoredPositions.seek(c, store, config.consumerGroup(), partitions);
            } catch (DataAccessException e) {
                throw new IllegalStateException("cannot read the stored offsets", e);
            }
            LOG.infof(
                    "assigned %d partitions (%d new, read from the beginning)",
                    partitions.size(), fromStart);
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            // the batches handed to the writers are committed (with their offsets) before the
            // partitions go to another consumer, which reads the offsets from PostgreSQL
            try {
                commitToKafka(c, writers.drain());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while committing", e);
            } catch (ExecutionException e) {
                // not thrown: the consumer must still leave its group cleanly (else the next one
                // waits out the session timeout). drain() has waited for every writer's batches;
                // the failed one was rolled back, whoever gets these partitions starts from the
                // offsets in PostgreSQL, and the poll loop learns of the failure from
                // checkHealthy() and restarts.
                LOG.warnf("a batch failed before the rebalance: %s", e.getCause());
            }
        }
    }

    private static void closeQuietly(KafkaConsumer<?, ?> c, boolean leaveGroup) {
        try {
            StaticMembership.close(c, leaveGroup);
        } catch (RuntimeException e) {
            LOG.warnf("closing the usage consumer: %s", e.toString());
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
