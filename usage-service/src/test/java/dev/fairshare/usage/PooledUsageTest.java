package dev.fairshare.usage;

import static dev.fairshare.usage.UsageFixtures.awaitAccepted;
import static dev.fairshare.usage.UsageFixtures.event;
import static dev.fairshare.usage.UsageFixtures.header;
import static dev.fairshare.usage.UsageFixtures.modelKnownAs;
import static dev.fairshare.usage.UsageFixtures.platform;
import static dev.fairshare.usage.UsageFixtures.pooled;
import static dev.fairshare.usage.UsageFixtures.records;
import static dev.fairshare.usage.UsageFixtures.send;
import static dev.fairshare.usage.UsageFixtures.uid;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fairshare.localstack.FairshareTestResource;
import dev.fairshare.localstack.Tokens;
import dev.fairshare.usage.store.RollupFolder;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Pooled usage (DESIGN.md "Revenue pools"): events with a {@code subscriberId} through both
 * ingestion paths, stored with it, rolled up and sent on {@code usage.attributed} per subscriber,
 * shown to the platform that sent them and never to a maker.
 */
@QuarkusTest
@QuarkusTestResource(
        value = FairshareTestResource.class,
        initArgs = @ResourceArg(name = "database", value = "usage"))
class PooledUsageTest {
    static final Instant AT =
            Instant.now().truncatedTo(ChronoUnit.DAYS).minus(1, ChronoUnit.DAYS).plusSeconds(3600);

    @Inject ObjectMapper mapper;
    @Inject RollupFolder folder;
    @Inject AgroalDataSource dataSource;
    String platform;
    String model;
    String ref;

    /** A platform and a model, and one per-event probe stored (the consumer has the platform). */
    @BeforeEach
    void world() {
        platform = platform();
        model = uid("md");
        ref = "org/" + model;
        modelKnownAs(model, ref);
        awaitAccepted(platform, event(uid("probe"), platform, ref, AT, "0"));
        awaitStored(1);
    }

    @Test
    void bothPathsStorePooledEventsAndTheFoldSendsEachSubscribersSums() throws Exception {
        String s1 = uid("s1");
        String s2 = uid("s2");
        String e1 = uid("e");
        String e2 = uid("e");
        String e4 = uid("e");
        JsonPath http =
                post("["
                                + pooled(event(e1, platform, ref, AT, "0"), s1)
                                + ","
                                + pooled(event(e2, platform, ref, AT, "0"), s1)
                                + ","
                                + pooled(event(uid("e"), platform, ref, AT, "0"), s2)
                                + ","
                                + event(e4, platform, ref, AT, "0.50")
                                + ","
                                + pooled(event(uid("e"), platform, ref, AT, "0"), "a b")
                                + ","
                                + pooled(event(uid("e"), platform, ref, AT, "0"), "x".repeat(129))
                                + "]")
                        .then()
                        .statusCode(202)
                        .extract()
                        .jsonPath();
        assertThat(http.getInt("accepted")).isEqualTo(4);
        assertThat(http.getList("rejected.index", Integer.class)).containsExactly(4, 5);
        assertThat(http.getList("rejected.errors.code.flatten()", String.class))
                .containsExactly("BAD_SUBSCRIBER_ID", "BAD_SUBSCRIBER_ID");
        assertThat(http.getList("rejected.errors.field.flatten()", String.class))
                .containsExactly("subscriberId", "subscriberId");
        awaitStored(5);

        // Kafka: one more of s1, a subscriberId that is not a string (to the DLQ), a replay of
        // e2 naming another subscriber (a duplicate, as any replay with a changed field), then
        // one more of s2, all on one partition
        String topic = "usage.in." + platform;
        String notAString =
                event(uid("e"), platform, ref, AT, "0")
                        .replace(",\"revenue\"", ",\"subscriberId\":42,\"revenue\"");
        send(topic, "k", pooled(event(uid("e"), platform, ref, AT, "0"), s1));
        send(topic, "k", notAString);
        send(topic, "k", pooled(event(e2, platform, ref, AT, "0"), s2));
        send(topic, "k", pooled(event(uid("e"), platform, ref, AT, "0"), s2));
        awaitStored(7);
        // and over HTTP: the replay of e1 with another subscriber is a duplicate
        JsonPath replay =
                post("[" + pooled(event(e1, platform, ref, AT, "0"), s2) + "]")
                        .then()
                        .statusCode(202)
                        .extract()
                        .jsonPath();
        assertThat(replay.getInt("accepted")).isZero();
        assertThat(replay.getInt("duplicates")).isEqualTo(1);
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(
                        () -> {
                            List<ConsumerRecord<byte[], byte[]>> dead = new ArrayList<>();
                            for (ConsumerRecord<byte[], byte[]> d : records("usage.dlq")) {
                                if (topic.equals(header(d, "source.topic"))) {
                                    dead.add(d);
                                }
                            }
                            assertThat(dead).hasSize(1);
                            assertThat(header(dead.get(0), "error.code"))
                                    .isEqualTo("BAD_SUBSCRIBER_ID");
                            assertThat(new String(dead.get(0).value())).isEqualTo(notAString);
                        });
        assertThat(storedSubscriber(e1)).isEqualTo(s1);
        assertThat(storedSubscriber(e2)).isEqualTo(s1);
        assertThat(storedSubscriber(e4)).isNull();

        // usage.attributed: s1 3 events (e1, e2 and Kafka's), s2 2, per event 2 (probe, e4)
        Map<String, Long> events = new HashMap<>();
        List<JsonNode> rows = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () -> {
                            folder.foldOnce();
                            rows.clear();
                            rows.addAll(attributedRows());
                            events.clear();
                            rows.forEach(
                                    r ->
                                            events.merge(
                                                    r.path("subscriberId").asText("-"),
                                                    r.get("events").asLong(),
                                                    Long::sum));
                            assertThat(events).isEqualTo(Map.of(s1, 3L, s2, 2L, "-", 2L));
                        });
        assertThat(sum(rows, s1, "revenue")).isEqualByComparingTo("0");
        assertThat(sum(rows, s1, "requests")).isEqualByComparingTo("3");
        assertThat(sum(rows, s1, "output_tokens")).isEqualByComparingTo("2400");
        assertThat(sum(rows, "-", "revenue")).isEqualByComparingTo("0.50");
        // a row without a subscriber has no such field at all (not even null): today's rows
        assertThat(rows)
                .noneMatch(r -> r.has("subscriberId") && !r.get("subscriberId").isTextual());

        // the platform sees its own subscribers; the summary has none
        JsonPath own =
                given().auth()
                        .oauth2(Tokens.platform(platform))
                        .queryParam("platformId", platform)
                        .queryParam("modelId", model)
                        .get("/usage/events")
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath();
        assertThat(own.getInt("total")).isEqualTo(7);
        assertThat(own.getList("items.subscriberId", String.class))
                .filteredOn(s -> s != null)
                .containsExactlyInAnyOrder(s1, s1, s1, s2, s2);
        given().auth()
                .oauth2(Tokens.platform(platform))
                .get("/usage/events/" + platform + "/" + e1)
                .then()
                .statusCode(200)
                .body("subscriberId", org.hamcrest.Matchers.equalTo(s1));
        assertThat(
                        given().auth()
                                .oauth2(Tokens.platform(platform))
                                .get("/usage/events/" + platform + "/" + e4)
                                .then()
                                .statusCode(200)
                                .extract()
                                .asString())
                .doesNotContain("subscriberId");
        String summary =
                given().auth()
                        .oauth2(Tokens.finance())
                        .queryParam("platformId", platform)
                        .queryParam("modelId", model)
                        .get("/usage/summary")
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString();
        assertThat(JsonPath.from(summary).getLong("items[0].events")).isEqualTo(7);
        assertThat(summary).doesNotContain("subscriberId").doesNotContain(s1);
    }

    @Test
    void aMakerReadingUsageOfAModelWithPooledEventsSeesNoSubscriber() {
        String subscriber = uid("sub");
        String e = uid("e");
        post("[" + pooled(event(e, platform, ref, AT, "0"), subscriber) + "]")
                .then()
                .statusCode(202);
        awaitStored(2);
        String maker = Tokens.maker(uid("mk"));
        for (String path :
                List.of(
                        "/usage/summary?modelId=" + model,
                        "/usage/summary?platformId=" + platform + "&modelId=" + model,
                        "/usage/events?platformId=" + platform + "&modelId=" + model,
                        "/usage/events/" + platform + "/" + e,
                        "/usage/unattributed?platformId=" + platform,
                        "/quarantine?platformId=" + platform)) {
            Response r = given().auth().oauth2(maker).get(path);
            assertThat(r.statusCode()).as(path).isEqualTo(403);
            assertThat(r.asString())
                    .as(path)
                    .doesNotContain("subscriberId")
                    .doesNotContain(subscriber);
        }
    }

    @Test
    void pooledSumsLeaveWithTheirBatchAndTheFoldAddsThemToTheRollUpOnce() throws Exception {
        // three requests, so one or more batches; the folds below read one batch at a time
        List<String> subscribers = List.of(uid("s"), uid("s"), uid("s"));
        for (int i = 0; i < subscribers.size(); i++) {
            StringBuilder body = new StringBuilder("[");
            for (int n = 0; n <= i; n++) {
                body.append(n == 0 ? "" : ",")
                        .append(
                                pooled(
                                        event(uid("e"), platform, ref, AT, "0"),
                                        subscribers.get(i)));
            }
            post(body.append(",")
                            .append(event(uid("e"), platform, ref, AT, "0.25"))
                            .append("]")
                            .toString())
                    .then()
                    .statusCode(202);
        }
        awaitStored(1 + 1 + 2 + 3 + 3);
        Map<String, Long> events = new HashMap<>();
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () -> {
                            folder.foldOnce(1);
                            events.clear();
                            attributedRows()
                                    .forEach(
                                            r ->
                                                    events.merge(
                                                            r.path("subscriberId").asText("-"),
                                                            r.get("events").asLong(),
                                                            Long::sum));
                            // s1 1 event, s2 2, s3 3; the probe and three per-event events
                            assertThat(events)
                                    .containsOnly(
                                            Map.entry(subscribers.get(0), 1L),
                                            Map.entry(subscribers.get(1), 2L),
                                            Map.entry(subscribers.get(2), 3L),
                                            Map.entry("-", 4L));
                        });
        assertThat(sum(attributedRows(), "-", "revenue")).isEqualByComparingTo("0.75");
        // and the folded roll-up holds them all once, in its grain without subscribers
        assertThat(
                        query(
                                "select sum(events) || '/' || count(*) from usage_rollup where platform_id = ?",
                                platform))
                .isEqualTo("10/1");
        // the pooled rows left with the batches that stored their events, not with a fold
        List<String> pooledBatches = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : records("usage.attributed")) {
            JsonNode d = mapper.readTree(r.value());
            for (JsonNode row : d.get("rows")) {
                if (subscribers.contains(row.path("subscriberId").asText())) {
                    pooledBatches.add(d.get("batchId").asText());
                }
            }
        }
        List<String> stored = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "select distinct batch_id::text from usage_event where platform_id = ? and subscriber_id is not null")) {
            ps.setString(1, platform);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    stored.add(rs.getString(1));
                }
            }
        }
        assertThat(pooledBatches).isNotEmpty();
        assertThat(stored).containsAll(pooledBatches);
    }

    // ---------------------------------------------------------------- helpers

    private Response post(String body) {
        return given().auth()
                .oauth2(Tokens.platform(platform))
                .contentType(ContentType.JSON)
                .body(body)
                .post("/usage-events");
    }

    private void awaitStored(long n) {
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(
                        () ->
                                assertThat(
                                                query(
                                                        "select count(*) from usage_event where platform_id = ?",
                                                        platform))
                                        .isEqualTo(Long.toString(n)));
    }

    private String storedSubscriber(String eventId) throws Exception {
        return query(
                "select subscriber_id from usage_event where platform_id = ? and event_id = ?",
                platform,
                eventId);
    }

    private String query(String sql, String... args) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setString(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    /** The rows of every usage.attributed delta of the test's model and platform. */
    private List<JsonNode> attributedRows() throws Exception {
        List<JsonNode> rows = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : records("usage.attributed")) {
            JsonNode d = mapper.readTree(r.value());
            if (d.get("modelId").asText().equals(model)) {
                for (JsonNode row : d.get("rows")) {
                    if (row.get("platformId").asText().equals(platform)) {
                        rows.add(row);
                    }
                }
            }
        }
        return rows;
    }

    /** The sum of revenue or of a unit over the rows of {@code subscriber} ("-": none). */
    private static BigDecimal sum(List<JsonNode> rows, String subscriber, String what) {
        BigDecimal total = BigDecimal.ZERO;
        for (JsonNode r : rows) {
            if (r.path("subscriberId").asText("-").equals(subscriber)) {
                JsonNode v = what.equals("revenue") ? r.get("revenue") : r.path("units").path(what);
                if (!v.isMissingNode()) {
                    total = total.add(new BigDecimal(v.asText()));
                }
            }
        }
        return total;
    }
}
