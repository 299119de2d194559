package dev.fairshare.settlement.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fairshare.settlement.engine.Agreement;
import dev.fairshare.settlement.engine.ModelInfo;
import dev.fairshare.settlement.engine.Parent;
import dev.fairshare.settlement.engine.PerUnit;
import dev.fairshare.settlement.engine.RevenueShare;
import dev.fairshare.settlement.engine.Terms;
import dev.fairshare.settlement.engine.Tier;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
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

    /** One consistent copy of the registry; replaced whole once a re-read has caught up. */
    private record State(
            Map<String, String> makers,
            Map<String, String> platforms,
            Map<String, ModelInfo> models,
            Map<String, Agreement> agreements,
            Map<String, List<Alias>> aliases,
            Map<String, Proposal> proposals) {
        State() {
            this(
                    new ConcurrentHashMap<>(),
                    new ConcurrentHashMap<>(),
                    new ConcurrentHashMap<>(),
                    new ConcurrentHashMap<>(),
                    new ConcurrentHashMap<>(),
                    new ConcurrentHashMap<>());
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
    private final ObjectMapper mapper;
    private final String bootstrapServers;
    private volatile boolean caughtUp;
    private volatile boolean running;
    private Thread thread;

    public RegistryReplica(
            ObjectMapper mapper,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.mapper = mapper;
        this.bootstrapServers = bootstrapServers;
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

    public Map<String, ModelInfo> models() {
        return Map.copyOf(state.models());
    }

    public List<Agreement> agreements() {
        return List.copyOf(state.agreements().values());
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
        return Map.copyOf(state.makers());
    }

    public Map<String, String> platformNames() {
        return Map.copyOf(state.platforms());
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
                    for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                        try {
                            apply(r, building);
                        } catch (Exception e) {
                            LOG.errorf(
                                    "unreadable %s record %s at offset %d: %s",
                                    r.topic(), r.key(), r.offset(), e);
                        }
                    }
                    if (!live
                            && ends.entrySet().stream()
                                    .allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                        state = building;
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

    void apply(ConsumerRecord<String, String> r, State into) throws Exception {
        String key = r.key();
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
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        return new KafkaConsumer<>(p);
    }
}
