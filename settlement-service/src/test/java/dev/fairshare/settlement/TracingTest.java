package dev.fairshare.settlement;

import static dev.fairshare.settlement.SettlementFlowTest.delta;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fairshare.localstack.FairshareTestResource;
import dev.fairshare.localstack.Topics;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * The consumer of {@code usage.attributed} continues the trace that a delta's {@code traceparent}
 * header carries (docs/operations.md "Tracing"): one span for the poll that applies it.
 */
@QuarkusTest
@QuarkusTestResource(
        value = FairshareTestResource.class,
        initArgs = @ResourceArg(name = "database", value = "settlement"))
class TracingTest {
    @Inject InMemorySpanExporter spans;

    @Test
    void theConsumerOfADeltaContinuesTheTraceOfItsHeader() throws Exception {
        String s = UUID.randomUUID().toString().substring(0, 6);
        String model = "traced-" + s;
        String traceId = UUID.randomUUID().toString().replace("-", "");
        String parentId = "53995c3f42cd8ad8";
        ProducerRecord<String, String> record =
                new ProducerRecord<>(
                        "usage.attributed",
                        model,
                        delta(
                                UUID.randomUUID() + "/" + model,
                                model,
                                "pf-" + s,
                                "2025-03-10",
                                "1.00"));
        record.headers()
                .add(
                        "traceparent",
                        ("00-" + traceId + "-" + parentId + "-01")
                                .getBytes(StandardCharsets.UTF_8));
        try (KafkaProducer<String, String> p =
                FairshareTestResource.infrastructure()
                        .broker()
                        .producer(Topics.writer("usage.attributed"))) {
            p.send(record).get();
        }

        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () -> {
                            List<SpanData> traced =
                                    spans.getFinishedSpanItems().stream()
                                            .filter(d -> d.getTraceId().equals(traceId))
                                            .toList();
                            assertThat(traced).hasSize(1);
                            SpanData span = traced.get(0);
                            assertThat(span.getName()).isEqualTo("usage.attributed process");
                            assertThat(span.getKind()).isEqualTo(SpanKind.CONSUMER);
                            assertThat(span.getParentSpanId()).isEqualTo(parentId);
                            assertThat(span.getSpanContext().isSampled()).isTrue();
                            assertThat(
                                            span.getAttributes()
                                                    .get(
                                                            AttributeKey.longKey(
                                                                    "messaging.batch.message_count")))
                                    .isEqualTo(1L);
                        });
    }
}
