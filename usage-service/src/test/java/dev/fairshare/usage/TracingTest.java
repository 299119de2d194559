package dev.fairshare.usage;

import static dev.fairshare.usage.UsageFixtures.awaitAccepted;
import static dev.fairshare.usage.UsageFixtures.event;
import static dev.fairshare.usage.UsageFixtures.header;
import static dev.fairshare.usage.UsageFixtures.modelKnownAs;
import static dev.fairshare.usage.UsageFixtures.platform;
import static dev.fairshare.usage.UsageFixtures.pooled;
import static dev.fairshare.usage.UsageFixtures.records;
import static dev.fairshare.usage.UsageFixtures.uid;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fairshare.localstack.FairshareTestResource;
import dev.fairshare.localstack.Tokens;
import dev.fairshare.usage.store.RollupFolder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * The trace of an event (docs/operations.md "Tracing"): the sampled {@code traceparent} of a POST
 * /usage-events goes on through the records of the inbound topic to the consumer's span of their
 * batch, and from there to the {@code usage.attributed} deltas of their sums: the pooled one that
 * leaves with the batch, and the fold's.
 */
@QuarkusTest
@QuarkusTestResource(
        value = FairshareTestResource.class,
        initArgs = @ResourceArg(name = "database", value = "usage"))
class TracingTest {
    static final Instant AT =
            Instant.now().truncatedTo(ChronoUnit.DAYS).minus(1, ChronoUnit.DAYS).plusSeconds(3600);

    @Inject ObjectMapper mapper;
    @Inject RollupFolder folder;
    @Inject InMemorySpanExporter spans;

    @Test
    void theDeltasOfARequestsEventsContinueItsTrace() throws Exception {
        String platform = platform();
        String model = uid("md");
        modelKnownAs(model, "org/" + model);
        // the consumer knows the platform once a probe is accepted (unattributed: no delta)
        awaitAccepted(platform, event(uid("probe"), platform, "org/unknown-" + model, AT, "0"));

        String traceId = UUID.randomUUID().toString().replace("-", "");
        String parentId = "00f067aa0ba902b7";
        String direct = event(uid("e"), platform, "org/" + model, AT, "2.50");
        String viaPool = pooled(event(uid("e"), platform, "org/" + model, AT, "0"), uid("sub"));
        given().auth()
                .oauth2(Tokens.platform(platform))
                .header("traceparent", "00-" + traceId + "-" + parentId + "-01")
                .contentType(ContentType.JSON)
                .body("[" + direct + "," + viaPool + "]")
                .post("/usage-events")
                .then()
                .statusCode(202);

        List<ConsumerRecord<byte[], byte[]>> deltas = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () -> {
                            folder.foldOnce();
                            deltas.clear();
                            deltas.addAll(deltasOf(model));
                            // the pooled event's delta (its batch's) and the fold's of the other
                            assertThat(deltas).hasSize(2);
                        });
        List<SpanData> traced = awaitSpans(traceId, "usage.rollup fold");
        SpanData request = named(traced, "POST /usage-events");
        assertThat(request.getKind()).isEqualTo(SpanKind.SERVER);
        assertThat(request.getParentSpanId()).isEqualTo(parentId);
        List<SpanData> batches =
                traced.stream().filter(d -> d.getName().equals("usage.in process")).toList();
        assertThat(batches).isNotEmpty();
        for (SpanData batch : batches) {
            assertThat(batch.getKind()).isEqualTo(SpanKind.CONSUMER);
            assertThat(batch.getParentSpanId()).isEqualTo(request.getSpanId());
        }
        SpanData fold = named(traced, "usage.rollup fold");
        assertThat(batches.stream().map(SpanData::getSpanId)).contains(fold.getParentSpanId());

        // each delta carries the context of the span that wrote it: a batch's or the fold's
        Set<String> writers =
                deltas.stream()
                        .map(d -> header(d, "traceparent"))
                        .peek(h -> assertThat(h).startsWith("00-" + traceId + "-").endsWith("-01"))
                        .map(h -> h.split("-")[2])
                        .collect(Collectors.toSet());
        assertThat(writers).contains(fold.getSpanId());
        assertThat(batches.stream().map(SpanData::getSpanId).toList())
                .containsAll(writers.stream().filter(w -> !w.equals(fold.getSpanId())).toList());
    }

    private List<SpanData> awaitSpans(String traceId, String last) {
        List<SpanData> traced = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () -> {
                            traced.clear();
                            spans.getFinishedSpanItems().stream()
                                    .filter(d -> d.getTraceId().equals(traceId))
                                    .forEach(traced::add);
                            assertThat(traced).extracting(SpanData::getName).contains(last);
                        });
        return traced;
    }

    private static SpanData named(List<SpanData> spans, String name) {
        List<SpanData> named = spans.stream().filter(d -> d.getName().equals(name)).toList();
        assertThat(named).hasSize(1);
        return named.get(0);
    }

    private List<ConsumerRecord<byte[], byte[]>> deltasOf(String model) throws Exception {
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : records("usage.attributed")) {
            if (mapper.readTree(r.value()).get("modelId").asText().equals(model)) {
                out.add(r);
            }
        }
        return out;
    }
}
