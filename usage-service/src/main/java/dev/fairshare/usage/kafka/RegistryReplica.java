package dev.fairshare.usage.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fairshare.usage.domain.AliasIndex;
import dev.fairshare.usage.runtime.BackgroundLoop;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * The usage service's copy of the registry: platforms and models with their aliases, read from the
 * compacted {@code registry.platforms} and {@code registry.models} topics from the beginning at
 * every start. {@link #caughtUp()} turns true once it has read up to the end offsets it saw at
 * start; ingestion waits for that.
 */
@ApplicationScoped
public class RegistryReplica extends BackgroundLoop {
    static final String MODELS = "registry.models";
    static final String PLATFORMS = "registry.platforms";

    /** The header with the registry's outbox id of a record, increasing per key. */
    static final String OUTBOX_ID = "outbox-id";

    private static final Logger LOG = Logger.getLogger(RegistryReplica.class);

    // replaced whole when a (re)read from the beginning has caught up, so that a replay after an
    // error never serves older registry states than it already served
    private volatile AliasIndex index = new AliasIndex();
    private volatile Set<String> platforms = ConcurrentHashMap.newKeySet();
    // the outbox id of the state each model and platform is in (by topic and key, see versionKey):
    // an older state read later, out of order, is not applied; a dispute waits for its models' ids
    private volatile Map<String, Long> versions = new ConcurrentHashMap<>();
    private final List<Consumer<String>> modelListeners = new CopyOnWriteArrayList<>();
    @Inject ObjectMapper mapper;
    @Inject KafkaConnection kafka;
    private volatile boolean caughtUp;

    public RegistryReplica() {
        super("registry-replica", false);
    }

    public AliasIndex aliases() {
        return index;
    }

    public boolean knowsPlatform(String platformId) {
        return platforms.contains(platformId);
    }

    public boolean caughtUp() {
        return caughtUp;
    }

    /**
     * Whether the index serves each model's registry state at least as new as the given one (model
     * id → the {@code outbox-id} header of its {@code registry.models} record).
     */
    public boolean holds(Map<String, Long> modelVersions) {
        Map<String, Long> held = versions;
        return caughtUp
                && modelVersions.entrySet().stream()
                        .allMatch(
                                e ->
                                        held.getOrDefault(versionKey(MODELS, e.getKey()), -1L)
                                                >= e.getValue());
    }

    /** The key of an entity's state in the versions map: its topic and its record key. */
    static String versionKey(String topic, String key) {
        return topic + "\u0000" + key;
    }

    /** Called with a model id each time a model (or its aliases) changes, after catch-up. */
    public void onModelChange(Consumer<String> listener) {
        modelListeners.add(listener);
    }

    @Override
    protected void loop() {
        while (running()) {
            try (KafkaConsumer<String, String> consumer = consumer()) {
                readFromBeginning(consumer);
            } catch (RuntimeException e) {
                if (running()) {
                    LOG.warnf(
                            "registry replica failed, re-reading from the beginning: %s",
                            e.toString());
                    sleep();
                }
            }
        }
    }

    /**
     * Reads both topics from the beginning into a new copy, which is served once it has read up to
     * the end offsets of the start, then follows them: each model change read after that is
     * announced to the listeners.
     */
    private void readFromBeginning(KafkaConsumer<String, String> consumer) {
        AliasIndex building = new AliasIndex();
        Set<String> buildingPlatforms = ConcurrentHashMap.newKeySet();
        Map<String, Long> buildingVersions = new ConcurrentHashMap<>();
        Set<String> replayed = new java.util.HashSet<>();
        boolean live = false;
        Map<TopicPartition, Long> ends = assignFromBeginning(consumer);
        while (running()) {
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                String model = apply(r, building, buildingPlatforms, buildingVersions, mapper);
                if (model != null) {
                    if (live) {
                        modelListeners.forEach(l -> l.accept(model));
                    } else {
                        replayed.add(model);
                    }
                }
            }
            if (!live
                    && ends.entrySet().stream()
                            .allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                serve(building, buildingPlatforms, buildingVersions, replayed);
                live = true;
            }
        }
    }

    /** Assigns every partition of both topics from the beginning; answers their end offsets. */
    private static Map<TopicPartition, Long> assignFromBeginning(
            KafkaConsumer<String, String> consumer) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : List.of(PLATFORMS, MODELS)) {
            consumer.partitionsFor(topic, Duration.ofSeconds(30))
                    .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer.endOffsets(partitions);
    }

    /** Serves the copy that has caught up, keeping what the served one holds newer. */
    private void serve(
            AliasIndex building,
            Set<String> buildingPlatforms,
            Map<String, Long> buildingVersions,
            Set<String> replayed) {
        keepNewer(building, buildingPlatforms, buildingVersions, index, platforms, versions);
        index = building;
        platforms = buildingPlatforms;
        versions = buildingVersions;
        if (caughtUp) {
            // a replay after an error: what changed meanwhile may claim stored events
            replayed.forEach(m -> modelListeners.forEach(l -> l.accept(m)));
        }
        caughtUp = true;
        LOG.infof("registry replica caught up: %d platforms", buildingPlatforms.size());
    }

    /**
     * Applies one record unless the entity is in a state at least as new (by the registry's outbox
     * id; a record without one is applied); answers the model id it changed, if any.
     */
    public static String apply(
            ConsumerRecord<String, String> r,
            AliasIndex into,
            Set<String> intoPlatforms,
            Map<String, Long> versions,
            ObjectMapper mapper) {
        Header h = r.headers().lastHeader(OUTBOX_ID);
        if (h != null) {
            long version = Long.parseLong(new String(h.value(), StandardCharsets.UTF_8));
            String versionKey = versionKey(r.topic(), r.key());
            Long seen = versions.get(versionKey);
            if (seen != null && seen >= version) {
                return null;
            }
            versions.put(versionKey, version);
        }
        if (r.topic().equals(PLATFORMS)) {
            if (r.value() == null) {
                intoPlatforms.remove(r.key());
            } else {
                intoPlatforms.add(r.key());
            }
            return null;
        }
        if (r.value() == null) {
            into.removeModel(r.key());
            return r.key();
        }
        try {
            JsonNode m = mapper.readTree(r.value());
            List<AliasIndex.Alias> aliases = new ArrayList<>();
            for (JsonNode a : m.path("aliases")) {
                aliases.add(
                        new AliasIndex.Alias(
                                a.path("ref").asText(),
                                a.hasNonNull("platformId") ? a.get("platformId").asText() : null,
                                Instant.parse(a.path("validFrom").asText())));
            }
            into.putModel(r.key(), aliases);
            return r.key();
        } catch (Exception e) {
            LOG.errorf(
                    "unreadable registry.models record %s at offset %d: %s",
                    r.key(), r.offset(), e);
            return null;
        }
    }

    /**
     * Takes from the copy being replaced every model and platform whose state there is newer than
     * in the re-read one: a re-read never goes back in time from what was served.
     */
    static void keepNewer(
            AliasIndex into,
            Set<String> intoPlatforms,
            Map<String, Long> intoVersions,
            AliasIndex older,
            Set<String> olderPlatforms,
            Map<String, Long> olderVersions) {
        olderVersions.forEach(
                (versionKey, version) -> {
                    Long mine = intoVersions.get(versionKey);
                    if (mine != null && mine >= version) {
                        return;
                    }
                    int cut = versionKey.indexOf('\u0000');
                    String key = versionKey.substring(cut + 1);
                    if (versionKey.startsWith(PLATFORMS + "\u0000")) {
                        if (olderPlatforms.contains(key)) {
                            intoPlatforms.add(key);
                        } else {
                            intoPlatforms.remove(key);
                        }
                    } else {
                        older.aliasesOf(key)
                                .ifPresentOrElse(
                                        aliases -> into.putModel(key, aliases),
                                        () -> into.removeModel(key));
                    }
                    intoVersions.put(versionKey, version);
                });
    }

    private KafkaConsumer<String, String> consumer() {
        Properties p = kafka.properties();
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        return new KafkaConsumer<>(p);
    }

    private static void sleep() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
