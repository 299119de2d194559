package dev.fairshare.usage;

import static dev.fairshare.usage.UsageFixtures.event;
import static dev.fairshare.usage.UsageFixtures.header;
import static dev.fairshare.usage.UsageFixtures.model;
import static dev.fairshare.usage.UsageFixtures.modelKnownAs;
import static dev.fairshare.usage.UsageFixtures.platform;
import static dev.fairshare.usage.UsageFixtures.records;
import static dev.fairshare.usage.UsageFixtures.send;
import static dev.fairshare.usage.UsageFixtures.uid;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fairshare.localstack.FairshareTestResource;
import dev.fairshare.localstack.Tokens;
import dev.fairshare.localstack.Topics;
import dev.fairshare.usage.store.AttributedDelta;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(
        value = FairshareTestResource.class,
        initArgs = @ResourceArg(name = "database", value = "usage"))
class UsageIngestionTest {
    /** The management interface, where readiness is. */
    @TestHTTPResource(value = "/", management = true)
    java.net.URL management;

    static final Instant AT =
            Instant.now().truncatedTo(ChronoUnit.DAYS).minus(1, ChronoUnit.DAYS).plusSeconds(3600);
    static final String DAY = AT.toString().substring(0, 10);

    @Inject ObjectMapper mapper;
    @Inject dev.fairshare.usage.store.RollupFolder folder;
    @Inject io.agroal.api.AgroalDataSource dataSource;
    String platform;
    String model;
    String ref;

    @BeforeEach
    void world() {
        platform = platform();
        model = uid("md");
        ref = "org/" + model;
        modelKnownAs(model, ref);
        await().atMost(Duration.ofSeconds(20))
                .until(
                        () ->
                                Integer.valueOf(1)
                                        .equals(
                                                post("["
                                                                + event(
                                                                        uid("probe"),
                                                                        platform,
                                                                        ref,
                                                                        AT,
                                                                        "0")
                                                                + "]")
                                                        .extract()
                                                        .<Integer>path("accepted")));
        awaitEvents(1);
    }

    private io.restassured.response.ValidatableResponse post(String body) {
        return given().auth()
                .oauth2(Tokens.platform(platform))
                .contentType(ContentType.JSON)
                .body(body)
                .post("/usage-events")
                .then();
    }

    private JsonPath summary() {
        return given().auth()
                .oauth2(Tokens.finance())
                .queryParam("platformId", platform)
                .queryParam("modelId", model)
                .get("/usage/summary")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    @Test
    void writersCreatingTheSameMonthlyPartitionsAtOnceAllSucceed() throws Exception {
        // two writers (or two instances) may find the same months missing at the same instant; a
        // failure here once stopped the consumer until its group's session timed out
        int callers = 4;
        for (int year = 2090; year < 2095; year++) {
            String from = year + "-01-01T00:00:00Z";
            String to = year + "-06-30T00:00:00Z";
            java.util.concurrent.CyclicBarrier together =
                    new java.util.concurrent.CyclicBarrier(callers);
            java.util.concurrent.ExecutorService pool =
                    java.util.concurrent.Executors.newFixedThreadPool(callers);
            try {
                List<java.util.concurrent.Future<?>> calls = new ArrayList<>();
                for (int i = 0; i < callers; i++) {
                    calls.add(
                            pool.submit(
                                    () -> {
                                        try (java.sql.Connection c = dataSource.getConnection();
                                                java.sql.PreparedStatement ps =
                                                        c.prepareStatement(
                                                                "select ensure_usage_event_partitions(?::timestamptz, ?::timestamptz)")) {
                                            c.setAutoCommit(true);
                                            ps.setString(1, from);
                                            ps.setString(2, to);
                                            together.await(
                                                    10, java.util.concurrent.TimeUnit.SECONDS);
                                            ps.execute();
                                        }
                                        return null;
                                    }));
                }
                for (java.util.concurrent.Future<?> call : calls) {
                    call.get(30, java.util.concurrent.TimeUnit.SECONDS); // throws what a call threw
                }
            } finally {
                pool.shutdownNow();
            }
            try (java.sql.Connection c = dataSource.getConnection();
                    java.sql.Statement st = c.createStatement();
                    java.sql.ResultSet rs =
                            st.executeQuery(
                                    "select count(*) from pg_inherits where inhparent = 'usage_event'::regclass"
                                            + " and inhrelid::regclass::text like 'usage_event_"
                                            + year
                                            + "_%'")) {
                rs.next();
                assertThat(rs.getInt(1)).as("partitions of %d", year).isEqualTo(6);
            }
        }
    }

    /** Waits until {@code n} events of the test's platform are stored (any day). */
    private void awaitStored(long n) {
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(
                        () -> {
                            try (java.sql.Connection c = dataSource.getConnection();
                                    java.sql.PreparedStatement ps =
                                            c.prepareStatement(
                                                    "select count(*) from usage_event where platform_id = ?")) {
                                ps.setString(1, platform);
                                try (java.sql.ResultSet rs = ps.executeQuery()) {
                                    rs.next();
                                    assertThat(rs.getLong(1)).isEqualTo(n);
                                }
                            }
                        });
    }

    private void awaitEvents(long n) {
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(
                        () ->
                                assertThat(summary().getString("items[0].events"))
                                        .isEqualTo(Long.toString(n)));
    }

    @Test
    void acceptedEventsAreRolledUpExactlyOnce() {
        String e1 = uid("e");
        String e2 = uid("e");
        post("["
                        + event(e1, platform, ref, AT, "0.0123")
                        + ","
                        + event(e2, platform, model, AT, "0.0100")
                        + ","
                        + event(e1, platform, ref, AT, "0.0123")
                        + "]")
                .statusCode(202)
                .body("accepted", equalTo(2))
                .body("duplicates", equalTo(1))
                .body("rejected", hasSize(0));
        awaitEvents(3);
        // the same events again, across batches: counted once
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(
                        () ->
                                post("[" + event(e1, platform, ref, AT, "0.0123") + "]")
                                        .statusCode(202)
                                        .body("accepted", equalTo(0))
                                        .body("duplicates", equalTo(1)));
        JsonPath s = summary();
        assertThat(s.getString("items[0].period")).isEqualTo(DAY);
        assertThat(new BigDecimal(s.getString("items[0].revenue[0].amount")))
                .isEqualByComparingTo("0.0223");
        assertThat(s.getString("items[0].revenue[0].currency")).isEqualTo("USD");
        assertThat(new BigDecimal(s.getString("items[0].units.output_tokens")))
                .isEqualByComparingTo("2400");
        given().auth()
                .oauth2(Tokens.finance())
                .get("/usage/events/" + platform + "/" + e1)
                .then()
                .statusCode(200)
                .body("modelRef", equalTo(ref))
                .body("attribution[0].modelId", equalTo(model))
                .body("revenue.amount", equalTo("0.0123"));
        // the audit drill-down pages through the stored events of a platform, model and days
        given().auth()
                .oauth2(Tokens.finance())
                .queryParam("platformId", platform)
                .queryParam("modelId", model)
                .queryParam("from", DAY)
                .queryParam("to", DAY)
                .queryParam("size", 2)
                .get("/usage/events")
                .then()
                .statusCode(200)
                .body("total", equalTo(3))
                .body("items", hasSize(2))
                .body("size", equalTo(2));
        given().auth()
                .oauth2(Tokens.finance())
                .queryParam("platformId", platform)
                .queryParam("modelId", "nobody")
                .get("/usage/events")
                .then()
                .statusCode(200)
                .body("total", equalTo(0));
        given().auth()
                .oauth2(Tokens.finance())
                .get("/usage/events")
                .then()
                .statusCode(400)
                .body("code", equalTo("MISSING_FIELD"));
    }

    @Test
    void idsRefsAndUnitNamesWithAwkwardCharactersAreStoredExactly() throws Exception {
        // tab, newline, backslash, quote, NUL-free non-ASCII: COPY text and JSON both escape them
        String id = uid("e") + "\t\\n\"é€𝄞\n";
        String awkwardRef = "org/" + uid("w") + "\\x\tö\"";
        String awkwardModel = uid("md");
        model(
                awkwardModel,
                mapper.writeValueAsString(
                        List.of(
                                java.util.Map.of(
                                        "ref", awkwardRef, "validFrom", "1970-01-01T00:00:00Z"))));
        var event = mapper.createObjectNode();
        event.put("eventId", id);
        event.put("platformId", platform);
        event.put("modelRef", awkwardRef);
        event.put("occurredAt", AT.toString());
        event.put("customerType", "COMMERCIAL");
        event.putObject("units").put("requests", 1).put("tök\\ens\t\"x", new BigDecimal("2.5"));
        event.putObject("revenue").put("amount", "0.0042").put("currency", "USD");
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(
                        () ->
                                post(mapper.writeValueAsString(List.of(event)))
                                        .statusCode(202)
                                        .body("accepted", equalTo(1)));
        String unit = "tök\\ens\t\"x";
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(
                        () -> {
                            JsonPath stored =
                                    given().auth()
                                            .oauth2(Tokens.finance())
                                            .get("/usage/events/{p}/{e}", platform, id)
                                            .then()
                                            .statusCode(200)
                                            .extract()
                                            .jsonPath();
                            assertThat(stored.getString("eventId")).isEqualTo(id);
                            assertThat(stored.getString("modelRef")).isEqualTo(awkwardRef);
                            assertThat(stored.getMap("units"))
                                    .containsEntry(unit, "2.5")
                                    .containsEntry("requests", "1");
                            assertThat(stored.getString("attribution[0].modelId"))
                                    .isEqualTo(awkwardModel);
                            assertThat(stored.getMap("attribution[0].units"))
                                    .containsEntry(unit, "2.5");
                            assertThat(stored.getString("attribution[0].revenue"))
                                    .isEqualTo("0.0042");
                        });
    }

    @Test
    void kafkaDuplicatesOfStoredEventsAreCountedOnceAndFoldedRollUpsKeepTheSums() throws Exception {
        String topic = "usage.in." + platform;
        String stored = uid("e");
        String fresh = uid("e");
        String later = uid("e");
        send(topic, stored, event(stored, platform, ref, AT, "0.5"));
        awaitEvents(2);
        // a stored key makes the batch's key COPY fail: it is written again by the staged path,
        // which stores the new event once (given twice) and drops the stored one
        send(topic, stored, event(stored, platform, ref, AT, "0.5"));
        send(topic, fresh, event(fresh, platform, ref, AT, "0.25"));
        send(topic, fresh, event(fresh, platform, ref, AT, "0.25"));
        awaitEvents(3);
        send(topic, later, event(later, platform, ref, AT, "0.125"));
        awaitEvents(4);
        assertThat(new BigDecimal(summary().getString("items[0].revenue[0].amount")))
                .isEqualByComparingTo("0.875");
        // folding moves the batches' sums into the roll-ups: the sums read the same before and
        // after
        // (the background folder may be folding at that instant: then the next try finds it done)
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(
                        () -> {
                            folder.foldOnce();
                            try (java.sql.Connection c = dataSource.getConnection();
                                    java.sql.PreparedStatement ps =
                                            c.prepareStatement(
                                                    "select (select count(*) from usage_rollup_batch b, json_to_recordset(b.deltas::json) r(p text) where r.p = ?),"
                                                            + " (select sum(events) from usage_rollup where platform_id = ?)")) {
                                ps.setString(1, platform);
                                ps.setString(2, platform);
                                try (java.sql.ResultSet rs = ps.executeQuery()) {
                                    rs.next();
                                    assertThat(rs.getLong(1)).isZero();
                                    assertThat(rs.getLong(2)).isEqualTo(4);
                                }
                            }
                        });
        JsonPath s = summary();
        assertThat(s.getString("items[0].events")).isEqualTo("4");
        assertThat(new BigDecimal(s.getString("items[0].revenue[0].amount")))
                .isEqualByComparingTo("0.875");
        assertThat(new BigDecimal(s.getString("items[0].units.output_tokens")))
                .isEqualByComparingTo("3200");
    }

    @Test
    void theFoldSendsEachBatchOnceAsUsageAttributedDeltasWithExactSums() throws Exception {
        // with the probe of world(), four events over two days and two batches at least, one
        // with a unit of its own
        Instant day2 = AT.minus(1, ChronoUnit.DAYS);
        send("usage.in." + platform, "a", event(uid("e"), platform, ref, AT, "0.10"));
        send("usage.in." + platform, "b", event(uid("e"), platform, ref, AT, "0.25"));
        awaitStored(3);
        send(
                "usage.in." + platform,
                "c",
                event(uid("e"), platform, ref, day2, "1.005")
                        .replace("\"requests\":1", "\"requests\":2,\"frames\":7.5"));
        awaitStored(4);
        List<AttributedDelta> deltas = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () -> {
                            folder.foldOnce();
                            deltas.clear();
                            for (ConsumerRecord<byte[], byte[]> r : records("usage.attributed")) {
                                AttributedDelta d =
                                        mapper.readValue(r.value(), AttributedDelta.class);
                                if (d.modelId().equals(model)
                                        && d.rows().stream()
                                                .anyMatch(x -> x.platformId().equals(platform))) {
                                    assertThat(new String(r.key(), StandardCharsets.UTF_8))
                                            .isEqualTo(model);
                                    deltas.add(d);
                                }
                            }
                            assertThat(
                                            deltas.stream()
                                                    .flatMap(d -> d.rows().stream())
                                                    .mapToLong(AttributedDelta.Row::events)
                                                    .sum())
                                    .isEqualTo(4);
                        });
        // one delta a (model, platform) a fold, each with its own id, its rows the fold's sums
        assertThat(deltas.stream().map(AttributedDelta::deltaId).distinct()).hasSize(deltas.size());
        Map<String, List<AttributedDelta.Row>> byDay =
                deltas.stream()
                        .flatMap(d -> d.rows().stream())
                        .collect(Collectors.groupingBy(AttributedDelta.Row::day));
        assertThat(byDay.keySet()).containsExactlyInAnyOrder(DAY, day2.toString().substring(0, 10));
        List<AttributedDelta.Row> first = byDay.get(DAY);
        assertThat(first.stream().mapToLong(AttributedDelta.Row::events).sum()).isEqualTo(3);
        assertThat(
                        first.stream()
                                .map(r -> new BigDecimal(r.revenue()))
                                .reduce(BigDecimal.ZERO, BigDecimal::add))
                .isEqualByComparingTo("0.35");
        assertThat(
                        first.stream()
                                .map(r -> new BigDecimal(r.units().get("output_tokens")))
                                .reduce(BigDecimal.ZERO, BigDecimal::add))
                .isEqualByComparingTo("2400");
        assertThat(first).allSatisfy(r -> assertThat(r.units()).doesNotContainKey("frames"));
        AttributedDelta.Row second = byDay.get(day2.toString().substring(0, 10)).get(0);
        assertThat(second.events()).isEqualTo(1);
        assertThat(second.currency()).isEqualTo("USD");
        assertThat(second.customerType()).isEqualTo("COMMERCIAL");
        assertThat(new BigDecimal(second.revenue())).isEqualByComparingTo("1.005");
        assertThat(second.units()).containsOnlyKeys("requests", "output_tokens", "frames");
        assertThat(new BigDecimal(second.units().get("requests"))).isEqualByComparingTo("2");
        assertThat(new BigDecimal(second.units().get("frames"))).isEqualByComparingTo("7.5");
        // folding again sends nothing more for them
        folder.foldOnce();
        long again =
                records("usage.attributed").stream()
                        .map(r -> new String(r.value(), StandardCharsets.UTF_8))
                        .filter(v -> v.contains("\"" + platform + "\""))
                        .count();
        assertThat(again).isEqualTo(deltas.size());
    }

    @Test
    void aDuplicateAcrossHttpAndKafkaIsCountedOnce() {
        String id = uid("e");
        send("usage.in." + platform, id, event(id, platform, ref, AT, "1.00"));
        awaitEvents(2);
        post("[" + event(id, platform, ref, AT, "1.00") + "]").statusCode(202);
        String other = uid("e");
        post("[" + event(other, platform, ref, AT, "2.00") + "]")
                .statusCode(202)
                .body("accepted", equalTo(1));
        send("usage.in." + platform, other, event(other, platform, ref, AT, "2.00"));
        String last = uid("e");
        post("[" + event(last, platform, ref, AT, "0") + "]").statusCode(202);
        awaitEvents(4);
        assertThat(new BigDecimal(summary().getString("items[0].revenue[0].amount")))
                .isEqualByComparingTo("3.00");
    }

    @Test
    void invalidEventsAreListedWithCodesAndTheGoodOnesAccepted() {
        String good = uid("e");
        String bad =
                event(uid("e"), platform, ref, AT, "1")
                        .replace("\"requests\":1", "\"requests\":-1");
        String unknown = event(uid("e"), "another-platform", ref, AT, "1");
        String future =
                event(uid("e"), platform, ref, Instant.now().plus(1, ChronoUnit.HOURS), "1");
        JsonPath r =
                post("["
                                + event(good, platform, ref, AT, "1")
                                + ","
                                + bad
                                + ","
                                + unknown
                                + ",{\"eventId\":\"x\"},"
                                + future
                                + "]")
                        .statusCode(202)
                        .extract()
                        .jsonPath();
        assertThat(r.getInt("accepted")).isEqualTo(1);
        assertThat(r.getList("rejected.index", Integer.class)).containsExactly(1, 2, 3, 4);
        assertThat(r.getString("rejected[0].errors[0].code")).isEqualTo("NEGATIVE_UNITS");
        assertThat(r.getString("rejected[0].errors[0].field")).isEqualTo("units.requests");
        assertThat(r.getString("rejected[1].errors[0].code")).isEqualTo("PLATFORM_MISMATCH");
        assertThat(r.getString("rejected[1].errors[0].field")).isEqualTo("platformId");
        assertThat(r.getString("rejected[2].eventId")).isEqualTo("x");
        assertThat(r.getString("rejected[2].errors[0].code")).isEqualTo("MISSING_FIELD");
        assertThat(r.getString("rejected[3].errors[0].code")).isEqualTo("EVENT_IN_FUTURE");
        awaitEvents(2);
        // a platform token for a platform the registry does not know
        given().auth()
                .oauth2(Tokens.platform("no-such-platform"))
                .contentType(ContentType.JSON)
                .body("[" + event(uid("e"), "no-such-platform", ref, AT, "1") + "]")
                .post("/usage-events")
                .then()
                .statusCode(202)
                .body("accepted", equalTo(0))
                .body("rejected[0].errors[0].code", equalTo("UNKNOWN_PLATFORM"));
    }

    @Test
    void httpWritesEachEventToKafkaAsSentOrStampedWithTheSendersPlatform() {
        String asSent = uid("e");
        String unstamped = uid("e");
        // spacing and an unknown nested field: read in one pass, written to Kafka byte for byte
        String first =
                event(asSent, platform, ref, AT, "0.25")
                        .replace(",\"modelRef\"", " ,  \"note\": {\"a\": [1, 2]},\n \"modelRef\"");
        // no platformId: the edge stamps the sender's platform on it
        String second =
                event(unstamped, platform, ref, AT, "0.75")
                        .replace("\"platformId\":\"" + platform + "\",", "");
        post("[ " + first + " ,\n" + second + "]").statusCode(202).body("accepted", equalTo(2));
        awaitEvents(3);
        Map<String, String> values = new java.util.HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : records("usage.in." + platform)) {
            values.put(
                    new String(r.key(), StandardCharsets.UTF_8),
                    new String(r.value(), StandardCharsets.UTF_8));
        }
        assertThat(values.get(asSent)).isEqualTo(first);
        assertThat(JsonPath.from(values.get(unstamped)).getString("platformId"))
                .isEqualTo(platform);
        assertThat(summary().getString("items[0].revenue[0].amount")).isEqualTo("1");
    }

    @Test
    void ndjsonIsAcceptedAndABrokenLineIsRejectedAlone() {
        String body =
                event(uid("e"), platform, ref, AT, "1")
                        + "\n{not json\n"
                        + event(uid("e"), platform, ref, AT, "1")
                        + "\n";
        given().auth()
                .oauth2(Tokens.platform(platform))
                .contentType("application/x-ndjson")
                .body(body.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .post("/usage-events")
                .then()
                .statusCode(202)
                .body("accepted", equalTo(2))
                .body("rejected[0].index", equalTo(1))
                .body("rejected[0].errors[0].code", equalTo("MALFORMED_JSON"));
        awaitEvents(3);
    }

    @Test
    void readinessCoversTheBrokerTheDatabaseAndTheRegistryReplica() {
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () ->
                                given().get(
                                                dev.fairshare.localstack.ManagementPaths.origin(
                                                                management)
                                                        + "/q/health/ready")
                                        .then()
                                        .statusCode(200)
                                        .body("status", equalTo("UP"))
                                        .body(
                                                "checks.name",
                                                org.hamcrest.Matchers.containsInAnyOrder(
                                                        "Kafka connection health check",
                                                        "Database connections health check",
                                                        "usage-ingestion"))
                                        .body(
                                                "checks.status",
                                                org.hamcrest.Matchers.everyItem(equalTo("UP")))
                                        .body(
                                                "checks.find { it.name == 'usage-ingestion' }.data.registryReplicaCaughtUp",
                                                equalTo(true))
                                        .body(
                                                "checks.find { it.name == 'usage-ingestion' }.data.consuming",
                                                equalTo(true)));
    }

    @Test
    void aBodyThatIsNotAnArrayIs400AndTooManyEventsIs413() {
        post("{\"eventId\":\"x\"}")
                .statusCode(400)
                .contentType("application/problem+json")
                .body("code", equalTo("MALFORMED_JSON"));
        post("[{\"eventId\":").statusCode(400).body("code", equalTo("MALFORMED_JSON"));
        String many =
                IntStream.range(0, 10_001)
                        .mapToObj(i -> "{}")
                        .collect(Collectors.joining(",", "[", "]"));
        post(many)
                .statusCode(413)
                .contentType("application/problem+json")
                .body("code", equalTo("TOO_MANY_EVENTS"));
    }

    @Test
    void anEventAboveTheSizeLimitIsRejectedAloneOnBothPaths() {
        // valid events with a large unknown field: 70 KB (above usage.max-event-bytes, 64 KiB)
        // and 1.5 MB (above Kafka's own record limit: it used to fail the whole request with 503)
        String large = uid("e");
        String largeEvent = withNote(event(large, platform, ref, AT, "1"), 70 * 1024);
        String huge = withNote(event(uid("e"), platform, ref, AT, "1"), 1536 * 1024);
        // no platformId: read through the JSON tree, stamped, and judged on its bytes as written
        String unstamped =
                withNote(event(uid("e"), platform, ref, AT, "1"), 70 * 1024)
                        .replace("\"platformId\":\"" + platform + "\",", "");
        JsonPath r =
                post("["
                                + event(uid("e"), platform, ref, AT, "1")
                                + ","
                                + largeEvent
                                + ","
                                + huge
                                + ","
                                + unstamped
                                + "]")
                        .statusCode(202)
                        .extract()
                        .jsonPath();
        assertThat(r.getInt("accepted")).isEqualTo(1);
        assertThat(r.getList("rejected.index", Integer.class)).containsExactly(1, 2, 3);
        assertThat(r.getString("rejected[0].eventId")).isEqualTo(large);
        assertThat(r.getList("rejected.errors.code.flatten()", String.class))
                .containsExactly("EVENT_TOO_LARGE", "EVENT_TOO_LARGE", "EVENT_TOO_LARGE");
        assertThat(r.getString("rejected[0].errors[0].message"))
                .isEqualTo(
                        "the event takes "
                                + largeEvent.getBytes(StandardCharsets.UTF_8).length
                                + " bytes; at most 65536");
        awaitEvents(2);
        // Kafka: the large record between two good ones goes to the DLQ, the good ones are stored
        String topic = "usage.in." + platform;
        send(topic, "k", event(uid("e"), platform, ref, AT, "1"));
        send(topic, "k", largeEvent);
        send(topic, "k", event(uid("e"), platform, ref, AT, "1"));
        awaitEvents(4);
        ConsumerRecord<byte[], byte[]> dead = awaitOneDeadLetter(topic, "EVENT_TOO_LARGE");
        assertThat(new String(dead.value(), StandardCharsets.UTF_8)).isEqualTo(largeEvent);
        given().auth()
                .oauth2(Tokens.finance())
                .get("/usage/events/" + platform + "/" + large)
                .then()
                .statusCode(404);
    }

    @Test
    void aRecordTooLargeToWriteAgainGoesToTheDlqTruncatedAndDoesNotBlockItsPartition()
            throws Exception {
        String topic = "usage.in." + platform;
        // 2 MB of event that its producer compresses into a batch of a few KB: the broker takes
        // it, but no producer can write it again whole (1 MB a record)
        String big = withNote(event(uid("e"), platform, ref, AT, "1"), 2 * 1024 * 1024);
        Map<String, Object> props = UsageFixtures.kafka(Topics.USAGE_PRINCIPAL);
        props.put("compression.type", "lz4");
        props.put("max.request.size", Integer.toString(8 << 20));
        props.put("buffer.memory", Integer.toString(64 << 20));
        props.put("key.serializer", org.apache.kafka.common.serialization.StringSerializer.class);
        props.put("value.serializer", org.apache.kafka.common.serialization.StringSerializer.class);
        try (org.apache.kafka.clients.producer.KafkaProducer<String, String> p =
                new org.apache.kafka.clients.producer.KafkaProducer<>(props)) {
            for (String value :
                    List.of(
                            event(uid("e"), platform, ref, AT, "1"),
                            big,
                            event(uid("e"), platform, ref, AT, "1"))) {
                p.send(new org.apache.kafka.clients.producer.ProducerRecord<>(topic, "k", value))
                        .get();
            }
        }
        // the one after it is stored too: the partition goes on
        awaitEvents(3);
        ConsumerRecord<byte[], byte[]> dead = awaitOneDeadLetter(topic, "EVENT_TOO_LARGE");
        assertThat(header(dead, "error.truncated-from")).isEqualTo(Integer.toString(big.length()));
        assertThat(new String(dead.value(), StandardCharsets.UTF_8))
                .isEqualTo(big.substring(0, 900 * 1024));
    }

    /** The one dead letter of a record read from {@code topic}, once it is there, with its code. */
    private static ConsumerRecord<byte[], byte[]> awaitOneDeadLetter(String topic, String code) {
        List<ConsumerRecord<byte[], byte[]>> dlq = new ArrayList<>();
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(
                        () -> {
                            dlq.clear();
                            dlq.addAll(deadLettersOf(topic));
                            assertThat(dlq).hasSize(1);
                        });
        assertThat(header(dlq.get(0), "error.code")).isEqualTo(code);
        return dlq.get(0);
    }

    /** The dead letters of records read from {@code topic}, in order. */
    private static List<ConsumerRecord<byte[], byte[]>> deadLettersOf(String topic) {
        List<ConsumerRecord<byte[], byte[]>> dlq = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> d : records("usage.dlq")) {
            if (topic.equals(header(d, "source.topic"))) {
                dlq.add(d);
            }
        }
        return dlq;
    }

    /** {@code event} with an unknown field {@code note} of {@code chars} ASCII characters. */
    private static String withNote(String event, int chars) {
        return event.replace(
                ",\"modelRef\"", ",\"note\":\"" + "x".repeat(chars) + "\",\"modelRef\"");
    }

    @Test
    void aPoisonRecordGoesToTheDlqWithHeadersAndDoesNotBlockItsPartition() {
        String topic = "usage.in." + platform;
        String before = uid("e");
        String after = uid("e");
        // same key so that all three land on one partition, poison in the middle
        send(topic, "k", event(before, platform, ref, AT, "1"));
        send(topic, "k", "{this is not json");
        send(topic, "k", event(uid("e"), "someone-else", ref, AT, "1"));
        send(topic, "k", event(after, platform, ref, AT, "1"));
        awaitEvents(3);
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(
                        () -> {
                            List<ConsumerRecord<byte[], byte[]>> dlq = deadLettersOf(topic);
                            assertThat(dlq).hasSize(2);
                            assertThat(header(dlq.get(0), "error.code"))
                                    .isEqualTo("MALFORMED_JSON");
                            assertThat(new String(dlq.get(0).value()))
                                    .isEqualTo("{this is not json");
                            assertThat(header(dlq.get(1), "error.code"))
                                    .isEqualTo("PLATFORM_MISMATCH");
                            assertThat(header(dlq.get(1), "source.offset")).isNotNull();
                            assertThat(header(dlq.get(1), "source.partition")).isNotNull();
                        });
    }

    @Test
    void aPipelineSplitsUnitsAndRevenueExactly() {
        String other = uid("md");
        model(other, "[]");
        String id = uid("e");
        String pipeline =
                event(id, platform, ref, AT, "0.0123")
                        .replace(
                                "\"revenue\"",
                                "\"components\":[{\"modelRef\":\""
                                        + other
                                        + "\",\"weight\":\"0.3\"},{\"modelRef\":\""
                                        + ref
                                        + "\",\"weight\":\"0.7\"}],\"revenue\"");
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(
                        () -> {
                            post("[" + pipeline + "]").statusCode(202).body("rejected", hasSize(0));
                            JsonPath e =
                                    given().auth()
                                            .oauth2(Tokens.finance())
                                            .get("/usage/events/" + platform + "/" + id)
                                            .then()
                                            .statusCode(200)
                                            .extract()
                                            .jsonPath();
                            assertThat(e.getList("attribution.modelId"))
                                    .containsExactly(other, model);
                        });
        awaitEvents(2);
        JsonPath s = summary();
        assertThat(new BigDecimal(s.getString("items[0].revenue[0].amount")))
                .isEqualByComparingTo("0.00861");
        assertThat(new BigDecimal(s.getString("items[0].units.output_tokens")))
                .isEqualByComparingTo("1360");
        JsonPath o =
                given().auth()
                        .oauth2(Tokens.finance())
                        .queryParam("modelId", other)
                        .get("/usage/summary")
                        .then()
                        .extract()
                        .jsonPath();
        assertThat(new BigDecimal(o.getString("items[0].revenue[0].amount")))
                .isEqualByComparingTo("0.00369");
        assertThat(new BigDecimal(o.getString("items[0].units.output_tokens")))
                .isEqualByComparingTo("240");
    }

    @Test
    void aLateAliasAttributesTheStoredEventsAndSendsTheirDeltas() throws Exception {
        String late = "late/" + uid("ref");
        String e1 = uid("e");
        String e2 = uid("e");
        post("["
                        + event(e1, platform, late, AT, "1.50")
                        + ","
                        + event(e2, platform, late, AT, "2.50")
                        + "]")
                .statusCode(202)
                .body("accepted", equalTo(2));
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(
                        () ->
                                given().auth()
                                        .oauth2(Tokens.finance())
                                        .queryParam("platformId", platform)
                                        .get("/usage/unattributed")
                                        .then()
                                        .body(
                                                "items.find { it.modelRef == '"
                                                        + late
                                                        + "' }.events",
                                                equalTo(2)));
        String target = uid("md");
        model(
                target,
                "[{\"ref\":\""
                        + late
                        + "\",\"platformId\":\""
                        + platform
                        + "\",\"validFrom\":\"1970-01-01T00:00:00Z\"}]");
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () -> {
                            JsonPath s =
                                    given().auth()
                                            .oauth2(Tokens.finance())
                                            .queryParam("modelId", target)
                                            .get("/usage/summary")
                                            .then()
                                            .extract()
                                            .jsonPath();
                            assertThat(s.getString("items[0].events")).isEqualTo("2");
                            assertThat(new BigDecimal(s.getString("items[0].revenue[0].amount")))
                                    .isEqualByComparingTo("4.00");
                        });
        given().auth()
                .oauth2(Tokens.finance())
                .queryParam("platformId", platform)
                .get("/usage/unattributed")
                .then()
                .body("items.findAll { it.modelRef == '" + late + "' }", hasSize(0));
        // the deltas leave with the fold after the late attribution's batch (or the background one)
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(
                        () -> {
                            folder.foldOnce();
                            long events = 0;
                            for (ConsumerRecord<byte[], byte[]> r : records("usage.attributed")) {
                                JsonNode d = mapper.readTree(r.value());
                                if (d.get("modelId").asText().equals(target)) {
                                    assertThat(new String(r.key())).isEqualTo(target);
                                    for (JsonNode row : d.get("rows")) {
                                        events += row.get("events").asLong();
                                    }
                                }
                            }
                            assertThat(events).isEqualTo(2);
                        });
    }
}
