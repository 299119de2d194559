package dev.fairshare.usage.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fairshare.usage.config.UsageConfig;
import dev.fairshare.usage.runtime.BackgroundLoop;
import dev.fairshare.usage.store.EventStore;
import dev.fairshare.usage.store.Reattributions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * Reads the registry's dispute corrections ({@code registry.reattributions}, assigned partitions,
 * positions kept in PostgreSQL beside the data) and applies each, in order, with {@link
 * Reattributions}. Before applying one it waits until the registry replica holds the registry state
 * the dispute was written with (its alias among it), then until this instance's writers have
 * committed every batch they took before that: from then on new events follow the new alias, and
 * the stored ones are moved. Not the ingestion path: it runs beside it, on its own connection.
 */
@ApplicationScoped
public class ReattributionConsumer extends BackgroundLoop {
    public static final String TOPIC = "registry.reattributions";
    private static final Logger LOG = Logger.getLogger(ReattributionConsumer.class);

    @Inject RegistryReplica replica;
    @Inject UsageConsumer usage;
    @Inject EventStore store;
    @Inject Reattributions reattributions;
    @Inject ObjectMapper mapper;
    @Inject UsageConfig config;
    @Inject KafkaConnection kafka;

    public ReattributionConsumer() {
        super("reattribution-consumer", false);
    }

    @Override
    protected boolean enabled() {
        // an HTTP edge stores no events: the instances that do apply the disputes
        return usage.storesEvents();
    }

    @Override
    protected void loop() {
        while (running()) {
            try (KafkaConsumer<String, String> consumer = consumer()) {
                List<TopicPartition> partitions = new ArrayList<>();
                consumer.partitionsFor(TOPIC, Duration.ofSeconds(30))
                        .forEach(p -> partitions.add(new TopicPartition(TOPIC, p.partition())));
                if (partitions.isEmpty()) {
                    pause(1000);
                    continue;
                }
                consumer.assign(partitions);
                StoredPositions.seek(consumer, store, config.consumerGroup(), partitions);
                while (running()) {
                    for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                        if (!handle(r)) {
                            return;
                        }
                    }
                }
            } catch (Exception e) {
                if (running()) {
                    LOG.warnf(
                            "dispute corrections failed; resuming from the stored position: %s",
                            e.toString());
                    pause(1000);
                }
            }
        }
    }

    /** Applies one dispute; answers false when the service stops meanwhile. */
    private boolean handle(ConsumerRecord<String, String> r) throws Exception {
        EventStore.Position position =
                new EventStore.Position(
                        config.consumerGroup(), r.topic(), r.partition(), r.offset() + 1);
        Message m;
        try {
            m = read(mapper, r.value());
        } catch (Exception e) {
            LOG.errorf(
                    "unreadable dispute correction %s at %s/%d/%d, skipped: %s",
                    r.key(), r.topic(), r.partition(), r.offset(), e.toString());
            reattributions.skip(position);
            return true;
        }
        while (!replica.holds(m.registryVersions())) {
            if (!running()) {
                return false;
            }
            pause(100);
        }
        var drained = usage.drained();
        while (true) {
            try {
                drained.get(200, TimeUnit.MILLISECONDS);
                break;
            } catch (TimeoutException e) {
                if (!running()) {
                    return false;
                }
            }
        }
        Reattributions.Applied applied =
                reattributions.apply(m.dispute(), replica.aliases(), position);
        if (applied.alreadyApplied()) {
            LOG.infof("dispute %s was applied before: nothing changed", m.dispute().disputeId());
        } else {
            LOG.infof(
                    "dispute %s applied: %d events moved, %d unattributed events attributed",
                    m.dispute().disputeId(), applied.moved(), applied.attributed());
        }
        return true;
    }

    /** A message of {@code registry.reattributions}. */
    public record Message(Reattributions.Dispute dispute, Map<String, Long> registryVersions) {}

    public static Message read(ObjectMapper mapper, String value) throws java.io.IOException {
        JsonNode n = mapper.readTree(value);
        Map<String, Long> versions = new TreeMap<>();
        n.path("registryVersions")
                .fields()
                .forEachRemaining(e -> versions.put(e.getKey(), e.getValue().asLong()));
        String platform = n.hasNonNull("platformId") ? n.get("platformId").asText() : null;
        for (String field : List.of("disputeId", "ref", "toModelId", "from")) {
            if (!n.hasNonNull(field)) {
                throw new java.io.IOException("no " + field);
            }
        }
        return new Message(
                new Reattributions.Dispute(
                        n.get("disputeId").asText(),
                        n.get("ref").asText(),
                        platform,
                        n.get("toModelId").asText(),
                        Instant.parse(n.get("from").asText())),
                versions);
    }

    private KafkaConsumer<String, String> consumer() {
        java.util.Properties p = kafka.properties();
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "10");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        return new KafkaConsumer<>(p);
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
