package dev.fairshare.usage;

import static dev.fairshare.usage.UsageFixtures.event;
import static dev.fairshare.usage.UsageFixtures.kafka;
import static dev.fairshare.usage.UsageFixtures.platform;
import static dev.fairshare.usage.UsageFixtures.pooled;
import static dev.fairshare.usage.UsageFixtures.records;
import static dev.fairshare.usage.UsageFixtures.uid;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fairshare.localstack.FairshareTestResource;
import dev.fairshare.localstack.Tokens;
import dev.fairshare.localstack.Topics;
import dev.fairshare.usage.config.UsageConfig;
import dev.fairshare.usage.kafka.ReattributionConsumer;
import dev.fairshare.usage.store.RollupFolder;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;

/**
 * Dispute corrections as the registry sends them (raw records on {@code registry.reattributions}
 * and {@code registry.models}): the stored events of the ref move, the roll-ups follow, and the
 * moved sums leave as negative and positive {@code usage.attributed} deltas, exactly once.
 */
@QuarkusTest
@QuarkusTestResource(
        value = FairshareTestResource.class,
        initArgs = @ResourceArg(name = "database", value = "usage"))
class ReattributionTest {
    /** The dispute's day; events a day before it stay where they are. */
    static final Instant FROM =
            Instant.now().truncatedTo(ChronoUnit.DAYS).minus(2, ChronoUnit.DAYS);

    static final Instant BEFORE = FROM.minus(1, ChronoUnit.DAYS).plusSeconds(3600);
    static final Instant AFTER = FROM.plusSeconds(7200);
    static final AtomicLong OUTBOX_IDS = new AtomicLong(System.currentTimeMillis());

    @Inject ObjectMapper mapper;
    @Inject RollupFolder folder;
    @Inject AgroalDataSource dataSource;
    @Inject ReattributionConsumer disputeConsumer;
    @Inject UsageConfig config;

    /** Sums of one model's roll-ups on one platform. */
    record Sums(long events, BigDecimal revenue, BigDecimal outputTokens) {}

    @Test
    void aDisputeMovesTheRefsEventsAndSendsNegativeAndPositiveDeltasOnce() throws Exception {
        String p = platform();
        String hijacker = uid("md");
        String owner = uid("md");
        String other = uid("md");
        String ref = "org/" + uid("xtts");
        // the hijacker's platform alias from the epoch; the owner knows nothing yet
        long v0 = OUTBOX_IDS.incrementAndGet();
        model(hijacker, aliases(alias(ref, p, "1970-01-01T00:00:00Z")), v0);
        model(owner, "[]", OUTBOX_IDS.incrementAndGet());
        model(other, "[]", OUTBOX_IDS.incrementAndGet());

        String e1 = uid("e"); // before the dispute's day: stays the hijacker's
        String e2 = uid("e"); // plain, from the day on: moves
        String e3 = uid("e"); // pipeline: only the ref's component moves
        String pipeline =
                event(e3, p, ref, AFTER, "5.00")
                        .replace(
                                "\"revenue\"",
                                "\"components\":[{\"modelRef\":\""
                                        + other
                                        + "\",\"weight\":\"0.4\"},{\"modelRef\":\""
                                        + ref
                                        + "\",\"weight\":\"0.6\"}],\"revenue\"");
        // a new platform's first event: after a consumer restart (another test) the group may
        // take a session timeout to hand out the new partitions
        await().atMost(Duration.ofSeconds(90))
                .until(
                        () -> {
                            post(p, "[" + event(e1, p, ref, BEFORE, "1.00") + "]");
                            return stored(p, e1);
                        });
        post(p, "[" + event(e2, p, ref, AFTER, "2.00") + "," + pipeline + "]");
        await().atMost(Duration.ofSeconds(30)).until(() -> stored(p, e2) && stored(p, e3));
        // e1 1.00 + e2 2.00 + 0.6 × 5.00 of e3; output tokens 800 + 800 + 480
        assertThat(sums(p, hijacker)).isEqualTo(new Sums(3, dec("6.00"), dec("2080")));
        Sums hijackerDeltasBefore = awaitDeltas(hijacker, 3);
        Sums ownerDeltasBefore = deltas(owner);
        assertThat(ownerDeltasBefore).isEqualTo(new Sums(0, dec("0"), dec("0")));

        // the dispute arrives before the registry record it was written with: it waits for it
        String dispute = java.util.UUID.randomUUID().toString();
        long v1 = OUTBOX_IDS.incrementAndGet();
        String message = disputeMessage(dispute, ref, p, owner, Map.of(owner, v1));
        send("registry.reattributions", dispute, message, null);
        model(owner, aliases(alias(ref, p, FROM.toString())), v1);

        await().atMost(Duration.ofSeconds(30)).until(() -> applied(dispute));
        assertThat(sums(p, hijacker)).isEqualTo(new Sums(1, dec("1.00"), dec("800")));
        // e2 2.00 + 0.6 × 5.00 of e3; output tokens 800 + 480
        assertThat(sums(p, owner)).isEqualTo(new Sums(2, dec("5.00"), dec("1280")));
        // the pipeline's other component keeps its part: 0.4 × 5.00
        assertThat(sums(p, other)).isEqualTo(new Sums(1, dec("2.00"), dec("320")));
        assertThat(attribution(p, e1)).containsExactly(hijacker);
        assertThat(attribution(p, e2)).containsExactly(owner);
        assertThat(attribution(p, e3)).containsExactly(other, owner);
        assertThat(moved(dispute)).isEqualTo(2);

        // usage.attributed: minus two events and 5.00 for the hijacker, plus as much for the owner
        Sums hijackerDeltas = awaitDeltas(hijacker, hijackerDeltasBefore.events() - 2);
        assertThat(hijackerDeltas.revenue().subtract(hijackerDeltasBefore.revenue()))
                .isEqualByComparingTo("-5.00");
        assertThat(hijackerDeltas.outputTokens().subtract(hijackerDeltasBefore.outputTokens()))
                .isEqualByComparingTo("-1280");
        Sums ownerDeltas = awaitDeltas(owner, 2);
        assertThat(ownerDeltas.revenue()).isEqualByComparingTo("5.00");
        assertThat(ownerDeltas.outputTokens()).isEqualByComparingTo("1280");
        assertThat(negativeDeltaRows(hijacker)).isPositive();

        // delivered again (the registry's relay re-sends after a crash): nothing changes
        send("registry.reattributions", dispute, message, null);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> storedPosition() == endOffset("registry.reattributions"));
        folder.foldOnce();
        assertThat(sums(p, hijacker)).isEqualTo(new Sums(1, dec("1.00"), dec("800")));
        assertThat(sums(p, owner)).isEqualTo(new Sums(2, dec("5.00"), dec("1280")));
        assertThat(deltas(hijacker)).isEqualTo(hijackerDeltas);
        assertThat(deltas(owner)).isEqualTo(ownerDeltas);
        assertThat(count("select count(*) from reattribution where dispute_id = '" + dispute + "'"))
                .isEqualTo(1);
    }

    @Test
    void aDisputeMovesPooledUsageWithItsSubscriber() throws Exception {
        String p = platform();
        String hijacker = uid("md");
        String owner = uid("md");
        String ref = "org/" + uid("pool");
        model(
                hijacker,
                aliases(alias(ref, p, "1970-01-01T00:00:00Z")),
                OUTBOX_IDS.incrementAndGet());
        model(owner, "[]", OUTBOX_IDS.incrementAndGet());
        String s1 = uid("s1");
        String s2 = uid("s2");
        String first = uid("e");
        await().atMost(Duration.ofSeconds(90))
                .until(
                        () -> {
                            post(p, "[" + pooled(event(first, p, ref, AFTER, "0"), s1) + "]");
                            return stored(p, first);
                        });
        String second = uid("e");
        String third = uid("e");
        post(
                p,
                "["
                        + pooled(event(second, p, ref, AFTER, "0"), s1)
                        + ","
                        + pooled(event(third, p, ref, AFTER, "0"), s2)
                        + ","
                        + event(uid("e"), p, ref, AFTER, "3.00")
                        + "]");
        await().atMost(Duration.ofSeconds(30)).until(() -> stored(p, second) && stored(p, third));
        awaitDeltas(hijacker, 4);
        assertThat(deltasBySubscriber(hijacker)).isEqualTo(Map.of(s1, 2L, s2, 1L, "-", 1L));

        String dispute = applyDispute(ref, p, owner);
        assertThat(moved(dispute)).isEqualTo(4);
        // each subscriber's usage leaves the hijacker and reaches the owner under that subscriber
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () -> {
                            folder.foldOnce();
                            assertThat(deltasBySubscriber(owner))
                                    .isEqualTo(Map.of(s1, 2L, s2, 1L, "-", 1L));
                            assertThat(deltasBySubscriber(hijacker))
                                    .isEqualTo(Map.of(s1, 0L, s2, 0L, "-", 0L));
                        });
        // the roll-ups (the summaries' grain, no subscriber) moved with them
        assertThat(count(rollupEvents(owner))).isEqualTo(4);
        assertThat(count(rollupEvents(hijacker))).isZero();
    }

    /** The events of the model's roll-ups, folded or not. */
    private static String rollupEvents(String model) {
        return "select coalesce(sum(events), 0) from usage_rollup_all where model_id = '"
                + model
                + "'";
    }

    /** The events of every usage.attributed row of the model, by subscriber ("-": none). */
    private Map<String, Long> deltasBySubscriber(String model) throws Exception {
        Map<String, Long> events = new java.util.HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : records("usage.attributed")) {
            JsonNode d = mapper.readTree(r.value());
            if (d.get("modelId").asText().equals(model)) {
                for (JsonNode row : d.get("rows")) {
                    events.merge(
                            row.path("subscriberId").asText("-"),
                            row.get("events").asLong(),
                            Long::sum);
                }
            }
        }
        return events;
    }

    @Test
    void aGlobalDisputeAttributesTheRefsUnattributedEventsFromItsDayOn() throws Exception {
        String p = platform();
        String owner = uid("md");
        String ref = "org/" + uid("orphan");
        model(owner, "[]", OUTBOX_IDS.incrementAndGet());
        String before = uid("e");
        String after = uid("e");
        // a new platform's first event: after a consumer restart (another test) the group may
        // take a session timeout to hand out the new partitions
        await().atMost(Duration.ofSeconds(90))
                .until(
                        () -> {
                            post(p, "[" + event(before, p, ref, BEFORE, "7.00") + "]");
                            return stored(p, before);
                        });
        post(p, "[" + event(after, p, ref, AFTER, "4.00") + "]");
        await().atMost(Duration.ofSeconds(30)).until(() -> stored(p, after));
        assertThat(attribution(p, after)).isEmpty();

        String dispute = applyDispute(ref, null, owner);
        assertThat(attribution(p, after)).containsExactly(owner);
        assertThat(attribution(p, before)).isEmpty();
        assertThat(sums(p, owner)).isEqualTo(new Sums(1, dec("4.00"), dec("800")));
        Sums deltas = awaitDeltas(owner, 1);
        assertThat(deltas.revenue()).isEqualByComparingTo("4.00");
    }

    @Test
    void anUnreadableDisputeIsPassedOverAndTheNextOneApplied() throws Exception {
        String p = platform();
        String owner = uid("md");
        String ref = "org/" + uid("next");
        send("registry.reattributions", uid("bad"), "{\"disputeId\":", null);
        String dispute = applyDispute(ref, p, owner);
        assertThat(moved(dispute)).isZero();
    }

    @Test
    void aRestartedDisputeConsumerResumesFromItsStoredPositionAndReadsNoDisputeAgain()
            throws Exception {
        String p = platform();
        List<String> logged = new CopyOnWriteArrayList<>();
        Logger log = Logger.getLogger(ReattributionConsumer.class.getName());
        Handler capture =
                new Handler() {
                    @Override
                    public void publish(LogRecord r) {
                        logged.add(((ExtLogRecord) r).getFormattedMessage());
                    }

                    @Override
                    public void flush() {}

                    @Override
                    public void close() {}
                };
        log.addHandler(capture);
        try {
            String first = applyDispute("org/" + uid("restart"), p, uid("md"));
            // the topic's one partition has its stored position: none is new to the consumer, and
            // the next dispute follows the first one in it
            int partitions =
                    Topics.fixedTopics().stream()
                            .filter(t -> t.name().equals(ReattributionConsumer.TOPIC))
                            .findFirst()
                            .orElseThrow()
                            .numPartitions();
            assertThat(partitions).isEqualTo(1);
            assertThat(
                            count(
                                    "select count(*) from consumer_offset where consumer_group = '"
                                            + config.consumerGroup()
                                            + "' and topic = '"
                                            + ReattributionConsumer.TOPIC
                                            + "'"))
                    .isEqualTo(partitions);

            disputeConsumer.stop(null);
            disputeConsumer.start(null);
            // a consumer that went back to the beginning would read the first one again before it
            String second = applyDispute("org/" + uid("restart"), p, uid("md"));
            String secondApplied =
                    "dispute "
                            + second
                            + " applied: 0 events moved, 0 unattributed events attributed";
            await().atMost(Duration.ofSeconds(30)).until(() -> logged.contains(secondApplied));
            assertThat(logged)
                    .filteredOn(m -> m.contains(first) || m.contains(second))
                    .containsExactly(
                            "dispute "
                                    + first
                                    + " applied: 0 events moved, 0 unattributed events attributed",
                            secondApplied);
            assertThat(logged).noneMatch(m -> m.contains("was applied before"));
        } finally {
            log.removeHandler(capture);
        }
    }

    // ---------------------------------------------------------------- helpers

    /**
     * Gives {@code ref} (on {@code platform}, or everywhere) to {@code owner} from {@link #FROM} as
     * the registry does for a dispute (the model record, then the dispute naming it), and waits
     * until usage-service applied it; answers the dispute's id.
     */
    private String applyDispute(String ref, String platform, String owner) throws Exception {
        String dispute = java.util.UUID.randomUUID().toString();
        long v = OUTBOX_IDS.incrementAndGet();
        model(owner, aliases(alias(ref, platform, FROM.toString())), v);
        send(
                "registry.reattributions",
                dispute,
                disputeMessage(dispute, ref, platform, owner, Map.of(owner, v)),
                null);
        await().atMost(Duration.ofSeconds(30)).until(() -> applied(dispute));
        return dispute;
    }

    private static void post(String platform, String body) {
        given().auth()
                .oauth2(Tokens.platform(platform))
                .contentType("application/json")
                .body(body)
                .post("/usage-events")
                .then()
                .statusCode(202);
    }

    static String alias(String ref, String platform, String validFrom) {
        return "{\"ref\":\""
                + ref
                + "\",\"platformId\":"
                + (platform == null ? "null" : "\"" + platform + "\"")
                + ",\"validFrom\":\""
                + validFrom
                + "\"}";
    }

    static String aliases(String... aliases) {
        return "[" + String.join(",", aliases) + "]";
    }

    /** A registry.models record as the registry's relay sends it, with its outbox id. */
    static void model(String id, String aliasesJson, long outboxId) {
        send(
                "registry.models",
                id,
                "{\"id\":\""
                        + id
                        + "\",\"makerId\":\"mk\",\"name\":\"M\","
                        + "\"license\":{\"id\":\"mit\",\"commercialUse\":true},\"parents\":[],\"aliases\":"
                        + aliasesJson
                        + "}",
                outboxId);
    }

    String disputeMessage(
            String id, String ref, String platform, String to, Map<String, Long> versions)
            throws Exception {
        return mapper.writeValueAsString(
                new java.util.LinkedHashMap<String, Object>(
                        Map.of(
                                "disputeId", id,
                                "ref", ref,
                                "toModelId", to,
                                "from", FROM.toString(),
                                "reason", "test",
                                "registryVersions", versions,
                                "createdAt", Instant.now().toString())) {
                    {
                        put("platformId", platform);
                    }
                });
    }

    static void send(String topic, String key, String value, Long outboxId) {
        Map<String, Object> props = kafka(Topics.writer(topic));
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        try (KafkaProducer<String, String> p = new KafkaProducer<>(props)) {
            ProducerRecord<String, String> r = new ProducerRecord<>(topic, key, value);
            if (outboxId != null) {
                r.headers()
                        .add("outbox-id", Long.toString(outboxId).getBytes(StandardCharsets.UTF_8));
            }
            p.send(r).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private boolean stored(String platform, String eventId) throws Exception {
        return count(
                        "select count(*) from usage_event where platform_id = '"
                                + platform
                                + "' and event_id = '"
                                + eventId
                                + "'")
                == 1;
    }

    private boolean applied(String dispute) throws Exception {
        return count("select count(*) from reattribution where dispute_id = '" + dispute + "'")
                == 1;
    }

    private long moved(String dispute) throws Exception {
        return count("select events_moved from reattribution where dispute_id = '" + dispute + "'");
    }

    private long storedPosition() throws Exception {
        return count(
                "select coalesce(max(next_offset), 0) from consumer_offset where topic = 'registry.reattributions'");
    }

    private static long endOffset(String topic) {
        return records(topic).stream().mapToLong(r -> r.offset() + 1).max().orElse(0);
    }

    private long count(String sql) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql);
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The model ids of a stored event's attribution (empty: unattributed). */
    private List<String> attribution(String platform, String eventId) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "select attribution::text from usage_event where platform_id = ? and event_id = ?")) {
            ps.setString(1, platform);
            ps.setString(2, eventId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                String a = rs.getString(1);
                if (a == null) {
                    return List.of();
                }
                List<String> ids = new java.util.ArrayList<>();
                mapper.readTree(a).forEach(part -> ids.add(part.get("modelId").asText()));
                return ids;
            }
        }
    }

    /** The model's roll-ups on the platform, folded or not. */
    private Sums sums(String platform, String model) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "select coalesce(sum(events), 0), coalesce(sum(revenue), 0), coalesce(sum(output_tokens), 0)"
                                        + " from usage_rollup_all where platform_id = ? and model_id = ?")) {
            ps.setString(1, platform);
            ps.setString(2, model);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Sums(
                        rs.getLong(1),
                        rs.getBigDecimal(2).stripTrailingZeros(),
                        rs.getBigDecimal(3).stripTrailingZeros());
            }
        }
    }

    /** Folds, then waits until the model's usage.attributed deltas add up to {@code events}. */
    private Sums awaitDeltas(String model, long events) {
        Sums[] seen = new Sums[1];
        await().atMost(Duration.ofSeconds(30))
                .until(
                        () -> {
                            folder.foldOnce();
                            seen[0] = deltas(model);
                            return seen[0].events() == events;
                        });
        return seen[0];
    }

    /** Every usage.attributed delta of the model, added up. */
    private Sums deltas(String model) throws Exception {
        long events = 0;
        BigDecimal revenue = BigDecimal.ZERO;
        BigDecimal tokens = BigDecimal.ZERO;
        for (ConsumerRecord<byte[], byte[]> r : records("usage.attributed")) {
            JsonNode d = mapper.readTree(r.value());
            if (d.get("modelId").asText().equals(model)) {
                for (JsonNode row : d.get("rows")) {
                    events += row.get("events").asLong();
                    revenue = revenue.add(new BigDecimal(row.get("revenue").asText()));
                    JsonNode t = row.path("units").path("output_tokens");
                    if (!t.isMissingNode()) {
                        tokens = tokens.add(new BigDecimal(t.asText()));
                    }
                }
            }
        }
        return new Sums(events, revenue.stripTrailingZeros(), tokens.stripTrailingZeros());
    }

    /** Rows of the model's deltas with a negative event count. */
    private long negativeDeltaRows(String model) throws Exception {
        long n = 0;
        for (ConsumerRecord<byte[], byte[]> r : records("usage.attributed")) {
            JsonNode d = mapper.readTree(r.value());
            if (d.get("modelId").asText().equals(model)) {
                for (JsonNode row : d.get("rows")) {
                    if (row.get("events").asLong() < 0) {
                        n++;
                    }
                }
            }
        }
        return n;
    }

    private static BigDecimal dec(String s) {
        return new BigDecimal(s).stripTrailingZeros();
    }
}
