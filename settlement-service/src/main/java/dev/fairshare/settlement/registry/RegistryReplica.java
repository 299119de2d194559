package dev.fairshare.settlement.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fairshare.settlement.config.KafkaConnection;
import dev.fairshare.settlement.engine.Agreement;
import dev.fairshare.settlement.engine.ModelInfo;
import dev.fairshare.settlement.engine.Parent;
import dev.fairshare.settlement.engine.PerUnit;
import dev.fairshare.settlement.engine.PoolShare;
import dev.fairshare.settlement.engine.RevenueShare;
import dev.fairshare.settlement.engine.Terms;
import dev.fairshare.settlement.engine.Tier;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * Settlement's copy of the registry (makers, platforms, models with licence and parents,
 * agreements, makers' alias proposals), read from the compacted {@code registry.*} topics from the
 * beginning at every start.
 */
@ApplicationScoped
public class RegistryReplica {
    static final List<String> TOPICS =
            List.of(
                    "registry.makers",
                    "registry.platforms",
                    "registry.models",
                    "registry.agreements",
                    "registry.alias-proposals");
    private static final Logger LOG = Logger.getLogger(RegistryReplica.class);

    /** The header with the registry's outbox id of a record, increasing per key. */
    static final String OUTBOX_ID = "outbox-id";

    /**
     * One consistent copy of the registry; replaced whole once a re-read has caught up. {@code
     * versions} holds the outbox id of the state each entity is in (by topic and key), so that an
     * older state read later, out of order, is not applied.
     */
    record State(
            Map<String, String> makers,
            Map<String, String> platforms,
            Map<String, ModelInfo> models,
            Map<String, Agreement> agreements,
            Map<String, List<Alias>> aliases,
            Map<String, Proposal> proposals,
            Map<String, Long> versions) {
        State() {
            this(
                    new ConcurrentHashMap<>(),
                    new ConcurrentHashMap<>(),
                    new ConcurrentHashMap<>(),
                    new ConcurrentHashMap<>(),
                    new ConcurrentHashMap<>(),
                    new ConcurrentHashMap<>(),
                    new ConcurrentHashMap<>());
        }

        @SuppressWarnings("unchecked")
        <T> Map<String, T> of(String topic) {
            return (Map<String, T>)
                    switch (topic) {
                        case "registry.makers" -> makers;
                        case "registry.platforms" -> platforms;
                        case "registry.models" -> models;
                        case "registry.alias-proposals" -> proposals;
                        default -> agreements;
                    };
        }

        /**
         * Takes from {@code older} (the copy this one replaces) every entity whose state there is
         * newer than here: a re-read never goes back in time from what was served.
         */
        void keepNewerOf(State older) {
            older.versions.forEach(
                    (versionKey, version) -> {
                        Long mine = versions.get(versionKey);
                        if (mine == null || mine < version) {
                            int cut = versionKey.indexOf('\u0000');
                            String topic = versionKey.substring(0, cut);
                            String key = versionKey.substring(cut + 1);
                            Object value = older.of(topic).get(key);
                            if (value == null) {
                                of(topic).remove(key);
                            } else {
                                of(topic).put(key, value);
                            }
                            if ("registry.models".equals(topic)) {
                                // a model's names come with its record
                                List<Alias> names = older.aliases.get(key);
                                if (names == null) {
                                    aliases.remove(key);
                                } else {
                                    aliases.put(key, names);
                                }
                            }
                            versions.put(versionKey, version);
                        }
                    });
        }
    }

    /**
     * One view of the registry taken at one moment: what a close, an estimate or a report reads
     * from start to end, so that no record applied meanwhile changes what it sees half way.
     * Immutable.
     */
    public record Snapshot(
            Map<String, String> makerNames,
            Map<String, String> platformNames,
            Map<String, ModelInfo> models,
            List<Agreement> agreements) {
        public Snapshot {
            makerNames = Map.copyOf(makerNames);
            platformNames = Map.copyOf(platformNames);
            models = Map.copyOf(models);
            agreements = List.copyOf(agreements);
        }

        /** The first day on which any agreement is in force, if there is an agreement. */
        public Optional<LocalDate> firstAgreementDay() {
            return agreements.stream().map(Agreement::validFrom).min(LocalDate::compareTo);
        }
    }

    /** A name of a model as the registry publishes it: {@code platformId} null is global. */
    public record Alias(String ref, String platformId, String validFrom) {}

    /**
     * A maker's proposal of a platform alias as the registry publishes it: {@code status} PROPOSED,
     * ACCEPTED or REJECTED; {@code decidedAt} null while PROPOSED.
     */
    public record Proposal(
            long proposalId,
            String makerId,
            String modelId,
            String platformId,
            String ref,
            String status,
            String proposedAt,
            String decidedAt) {}

    private volatile State state = new State();

    /** Held while records are applied to the live state and while a snapshot is copied. */
    private final Object lock = new Object();

    /** The snapshot of the live state as it is now; null once a record has changed it. */
    private Snapshot current;

    private final ObjectMapper mapper;
    private final KafkaConnection kafka;
    private volatile boolean caughtUp;
    private volatile boolean running;
    private Thread thread;

    public RegistryReplica(ObjectMapper mapper, KafkaConnection kafka) {
        this.mapper = mapper;
        this.kafka = kafka;
    }

    void start(@Observes StartupEvent event) {
        running = true;
        thread = new Thread(this::run, "registry-replica");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        running = false;
        if (thread != null) {
            thread.join(10_000);
        }
    }

    public boolean caughtUp() {
        return caughtUp;
    }

    /**
     * The registry as it is now, as one immutable view: records applied after this call do not
     * change it. Cheap while nothing changes (the same view is handed out again).
     */
    public Snapshot snapshot() {
        synchronized (lock) {
            if (current == null) {
                State s = state;
                current =
                        new Snapshot(
                                s.makers(),
                                s.platforms(),
                                s.models(),
                                new ArrayList<>(s.agreements().values()));
            }
            return current;
        }
    }

    public Map<String, ModelInfo> models() {
        return snapshot().models();
    }

    public List<Agreement> agreements() {
        return snapshot().agreements();
    }

    /** The aliases of a model (the dashboard shows them to its maker). */
    public List<Alias> aliases(String modelId) {
        return state.aliases().getOrDefault(modelId, List.of());
    }

    /** A maker's proposals, oldest first (the dashboard shows them to that maker only). */
    public List<Proposal> proposals(String makerId) {
        return state.proposals().values().stream()
                .filter(p -> p.makerId().equals(makerId))
                .sorted(Comparator.comparingLong(Proposal::proposalId))
                .toList();
    }

    public Map<String, String> makerNames() {
        return snapshot().makerNames();
    }

    public Map<String, String> platformNames() {
        return snapshot().platformNames();
    }

    /** Applies records to the live state (as the replica does once caught up). */
    public void applyLive(List<ConsumerRecord<String, String>> records) {
        applyAll(records, state);
    }

    /**
     * Applies a poll's records to {@code into}, all at once for a snapshot: a snapshot sees all of
     * them or none.
     */
    private void applyAll(Iterable<ConsumerRecord<String, String>> records, State into) {
        synchronized (lock) {
            for (ConsumerRecord<String, String> r : records) {
                try {
                    apply(r, into);
                } catch (Exception e) {
                    LOG.errorf(
                            "unreadable %s record %s at offset %d: %s",
                            r.topic(), r.key(), r.offset(), e);
                }
            }
            if (into == state) {
                current = null;
            }
        }
    }

    private void run() {
        while (running) {
            State building = new State();
            boolean live = false;
            try (KafkaConsumer<String, String> consumer = consumer()) {
                List<TopicPartition> partitions = new ArrayList<>();
                for (String topic : TOPICS) {
                    consumer.partitionsFor(topic, Duration.ofSeconds(30))
                            .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
                }
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
                while (running) {
                    applyAll(consumer.poll(Duration.ofMillis(200)), building);
                    if (!live
                            && ends.entrySet().stream()
                                    .allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                        synchronized (lock) {
                            building.keepNewerOf(state);
                            state = building;
                            current = null;
                        }
                        live = true;
                        caughtUp = true;
                        LOG.infof(
                                "registry replica caught up: %d models, %d agreements",
                                building.models().size(), building.agreements().size());
                    }
                }
            } catch (RuntimeException e) {
                if (running) {
                    LOG.warnf(
                            "registry replica failed, restarting from the beginning: %s",
                            e.toString());
                    try {
                        Thread.sleep(1000);
                    } catch (InterruptedException ie) {
                        return;
                    }
                }
            }
        }
    }

    /**
     * Applies one record unless {@code into} has the entity in a state at least as new (by the
     * outbox id; a record without one is applied).
     */
    void apply(ConsumerRecord<String, String> r, State into) throws Exception {
        String key = r.key();
        Header h = r.headers().lastHeader(OUTBOX_ID);
        if (h != null) {
            long version = Long.parseLong(new String(h.value(), StandardCharsets.UTF_8));
            String versionKey = r.topic() + "\u0000" + key;
            Long seen = into.versions().get(versionKey);
            if (seen != null && seen >= version) {
                LOG.debugf(
                        "%s %s: outbox id %d is not newer than %d, not applied",
                        r.topic(), key, version, seen);
                return;
            }
            into.versions().put(versionKey, version);
        }
        if (r.value() == null) {
            switch (r.topic()) {
                case "registry.makers" -> into.makers().remove(key);
                case "registry.platforms" -> into.platforms().remove(key);
                case "registry.models" -> {
                    into.models().remove(key);
                    into.aliases().remove(key);
                }
                case "registry.alias-proposals" -> into.proposals().remove(key);
                default -> into.agreements().remove(key);
            }
            return;
        }
        JsonNode n = mapper.readTree(r.value());
        switch (r.topic()) {
            case "registry.makers" -> into.makers().put(key, n.path("name").asText());
            case "registry.platforms" -> into.platforms().put(key, n.path("name").asText());
            case "registry.models" -> {
                into.models().put(key, model(n));
                List<Alias> aliases = new ArrayList<>();
                for (JsonNode a : n.path("aliases")) {
                    aliases.add(
                            new Alias(
                                    a.path("ref").asText(),
                                    a.hasNonNull("platformId")
                                            ? a.get("platformId").asText()
                                            : null,
                                    a.path("validFrom").asText()));
                }
                into.aliases().put(key, List.copyOf(aliases));
            }
            case "registry.alias-proposals" -> into.proposals().put(key, proposal(n));
            default -> into.agreements().put(key, agreement(n));
        }
    }

    public static ModelInfo model(JsonNode n) {
        List<Parent> parents = new ArrayList<>();
        for (JsonNode p : n.path("parents")) {
            parents.add(
                    new Parent(
                            p.get("modelId").asText(),
                            new BigDecimal(p.get("royaltyShare").asText())));
        }
        return new ModelInfo(
                n.get("id").asText(),
                n.get("makerId").asText(),
                n.path("license").path("commercialUse").asBoolean(),
                parents);
    }

    public static Proposal proposal(JsonNode n) {
        return new Proposal(
                n.get("proposalId").asLong(),
                n.get("makerId").asText(),
                n.get("modelId").asText(),
                n.get("platformId").asText(),
                n.get("ref").asText(),
                n.get("status").asText(),
                n.path("proposedAt").asText(null),
                n.hasNonNull("decidedAt") ? n.get("decidedAt").asText() : null);
    }

    public static Agreement agreement(JsonNode n) {
        JsonNode t = n.get("terms");
        Terms terms;
        if ("REVENUE_SHARE".equals(t.get("type").asText())) {
            terms = new RevenueShare(new BigDecimal(t.get("rate").asText()));
        } else if ("POOL_SHARE".equals(t.get("type").asText())) {
            terms = new PoolShare();
        } else {
            List<Tier> tiers = new ArrayList<>();
            for (JsonNode tier : t.path("tiers")) {
                tiers.add(
                        new Tier(
                                tier.hasNonNull("upTo")
                                        ? new BigDecimal(tier.get("upTo").asText())
                                        : null,
                                new BigDecimal(tier.get("price").asText())));
            }
            terms =
                    new PerUnit(
                            t.get("metric").asText(),
                            new BigDecimal(t.get("unitSize").asText()),
                            tiers);
        }
        return new Agreement(
                n.get("id").asText(),
                n.get("makerId").asText(),
                n.get("platformId").asText(),
                n.hasNonNull("modelId") ? n.get("modelId").asText() : null,
                n.get("currency").asText(),
                day(n.get("validFrom").asText()),
                n.hasNonNull("validTo") ? day(n.get("validTo").asText()) : null,
                terms,
                n.hasNonNull("minimumGuarantee")
                        ? new BigDecimal(n.get("minimumGuarantee").asText())
                        : null);
    }

    private static LocalDate day(String instant) {
        return Instant.parse(instant).atZone(ZoneOffset.UTC).toLocalDate();
    }

    private KafkaConsumer<String, String> consumer() {
        Properties p = kafka.properties();
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        return new KafkaConsumer<>(p);
    }
}
