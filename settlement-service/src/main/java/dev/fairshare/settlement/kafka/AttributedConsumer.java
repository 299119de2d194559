package dev.fairshare.settlement.kafka;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fairshare.settlement.config.KafkaConnection;
import dev.fairshare.settlement.config.SettlementConfig;
import dev.fairshare.settlement.store.ConsumerStore;
import dev.fairshare.settlement.store.RollupStore;
import dev.fairshare.settlement.store.Transactions;
import dev.fairshare.settlement.store.UsageDelta;
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
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Applies {@code usage.attributed} to settlement's roll-ups exactly once: each poll is one
 * PostgreSQL transaction that records the delta ids (a delta seen before is skipped), adds the new
 * ones' sums and stores the consumer offsets, which are where it resumes after any restart. A poll
 * is one span ({@link DeltaTraces}).
 */
@ApplicationScoped
public class AttributedConsumer {
    public static final String TOPIC = "usage.attributed";
    private static final Logger LOG = Logger.getLogger(AttributedConsumer.class);

    private final Transactions tx;
    private final RollupStore rollups;
    private final ConsumerStore consumed;
    private final ObjectMapper mapper;
    private final KafkaConnection kafka;
    private final String group;
    private final StaticMembership membership;
    private final DeltaTraces traces;
    private volatile boolean running;
    private volatile boolean consuming;
    private volatile KafkaConsumer<String, String> consumer;
    private Thread thread;

    public AttributedConsumer(
            Transactions tx,
            RollupStore rollups,
            ConsumerStore consumed,
            ObjectMapper mapper,
            KafkaConnection kafka,
            @ConfigProperty(name = "quarkus.http.port") int httpPort,
            SettlementConfig config,
            DeltaTraces traces) {
        this.tx = tx;
        this.traces = traces;
        this.rollups = rollups;
        this.consumed = consumed;
        this.mapper = mapper;
        this.kafka = kafka;
        this.group = config.consumerGroup();
        this.membership =
                StaticMembership.of(
                        config.groupInstanceId(),
                        "settlement-service",
                        httpPort,
                        config.sessionTimeout());
    }

    void start(@Observes StartupEvent event) {
        running = true;
        LOG.infof(
                "consumer group %s, static member %s (session timeout %s)",
                group, membership.instanceId(), membership.sessionTimeout());
        thread = new Thread(this::run, "attributed-consumer");
        thread.start();
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        running = false;
        KafkaConsumer<String, String> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        if (thread != null) {
            thread.join(15_000);
        }
    }

    public boolean consuming() {
        return consuming;
    }

    private void run() {
        while (running) {
            KafkaConsumer<String, String> c = newConsumer();
            try {
                consumer = c;
                c.subscribe(List.of(TOPIC), new SeekToStored(c));
                consuming = true;
                while (running) {
                    ConsumerRecords<String, String> records = c.poll(Duration.ofMillis(200));
                    if (!records.isEmpty()) {
                        traces.inSpan(records, () -> apply(c, records));
                    }
                }
            } catch (WakeupException e) {
                // shutting down
            } catch (FencedInstanceIdException e) {
                if (running) {
                    LOG.errorf(
                            "another running instance has joined %s as %s: give each instance its"
                                    + " own settlement.group-instance-id; retrying in 10 s",
                            group, membership.instanceId());
                    sleep(10_000);
                }
            } catch (RuntimeException e) {
                if (running) {
                    LOG.errorf(
                            e,
                            "usage.attributed consumer failed; it restarts from the offsets stored in PostgreSQL");
                    sleep(1000);
                }
            } finally {
                // a stopping instance leaves the group so that the others take its partitions at
                // once; a consumer replaced after an error keeps its place
                try {
                    StaticMembership.close(c, !running);
                } catch (RuntimeException e) {
                    LOG.warnf("closing the usage.attributed consumer: %s", e.toString());
                }
                consumer = null;
            }
        }
    }

    /**
     * A poll's records: the deltas read, the records that could not be read, and per partition the
     * first offset (where a failed batch is retried from) and the next one.
     */
    private record Batch(
            List<UsageDelta> deltas,
            List<ConsumerStore.Unreadable> unreadable,
            Map<TopicPartition, Long> first,
            Map<Integer, Long> next) {}

    private void apply(KafkaConsumer<String, String> c, ConsumerRecords<String, String> records) {
        Batch batch = read(records);
        try {
            tx.inTransaction(
                    conn -> {
                        rollups.apply(conn, batch.deltas());
                        consumed.park(conn, batch.unreadable());
                        consumed.saveOffsets(conn, group, TOPIC, batch.next());
                        return null;
                    });
        } catch (RuntimeException e) {
            LOG.warnf(
                    "usage.attributed batch not applied, retrying from its first offsets: %s",
                    e.toString());
            batch.first().forEach(c::seek);
            sleep(1000);
        }
    }

    private Batch read(ConsumerRecords<String, String> records) {
        Batch batch =
                new Batch(new ArrayList<>(), new ArrayList<>(), new HashMap<>(), new HashMap<>());
        for (ConsumerRecord<String, String> r : records) {
            batch.first().putIfAbsent(new TopicPartition(r.topic(), r.partition()), r.offset());
            batch.next().put(r.partition(), r.offset() + 1);
            try {
                batch.deltas().add(mapper.readValue(r.value(), UsageDelta.class));
            } catch (Exception e) {
                LOG.errorf(
                        "unreadable usage.attributed record at %s/%d/%d parked in unreadable_delta: %s",
                        r.topic(), r.partition(), r.offset(), e);
                batch.unreadable()
                        .add(
                                new ConsumerStore.Unreadable(
                                        r.topic(),
                                        r.partition(),
                                        r.offset(),
                                        r.value(),
                                        e.toString()));
            }
        }
        return batch;
    }

    private final class SeekToStored implements ConsumerRebalanceListener {
        private final KafkaConsumer<String, String> c;

        SeekToStored(KafkaConsumer<String, String> c) {
            this.c = c;
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            Map<Integer, Long> stored;
            try {
                stored = tx.read(conn -> consumed.offsets(conn, group, TOPIC));
            } catch (Transactions.DataAccessException e) {
                throw new IllegalStateException("cannot read the stored offsets", e.getCause());
            }
            List<TopicPartition> fromStart = new ArrayList<>();
            for (TopicPartition tp : partitions) {
                Long off = stored.get(tp.partition());
                if (off == null) {
                    fromStart.add(tp);
                } else {
                    c.seek(tp, off);
                }
            }
            if (!fromStart.isEmpty()) {
                c.seekToBeginning(fromStart);
            }
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            // every applied batch is already committed with its offsets
        }
    }

    private KafkaConsumer<String, String> newConsumer() {
        Properties p = kafka.properties();
        p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        membership.configure(p);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        return new KafkaConsumer<>(p);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
