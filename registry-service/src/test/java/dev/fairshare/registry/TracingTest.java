package dev.fairshare.registry;

import static dev.fairshare.registry.RegistryTestSupport.post;
import static dev.fairshare.registry.RegistryTestSupport.records;
import static dev.fairshare.registry.RegistryTestSupport.uid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fairshare.localstack.FairshareTestResource;
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
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * The relay's publication of a batch is one span, and a sampled one goes with each record of the
 * batch as its {@code traceparent} (docs/operations.md "Tracing"; the tests sample every trace).
 */
@QuarkusTest
@QuarkusTestResource(
        value = FairshareTestResource.class,
        initArgs = @ResourceArg(name = "database", value = "registry"))
class TracingTest {
    @Inject InMemorySpanExporter spans;

    @Test
    void aPublishedRecordCarriesTheContextOfItsBatchsSpan() {
        String platform = uid("pf");
        post("/platforms", "{\"id\":\"" + platform + "\",\"name\":\"Platform\"}").statusCode(201);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> records("registry.platforms", platform).size() == 1);
        ConsumerRecord<String, String> record = records("registry.platforms", platform).get(0);
        String[] traceparent =
                new String(
                                record.headers().lastHeader("traceparent").value(),
                                StandardCharsets.UTF_8)
                        .split("-");
        assertThat(traceparent).hasSize(4);
        assertThat(traceparent[3]).isEqualTo("01");

        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(
                        () -> {
                            List<SpanData> publish =
                                    spans.getFinishedSpanItems().stream()
                                            .filter(d -> d.getSpanId().equals(traceparent[2]))
                                            .toList();
                            assertThat(publish).hasSize(1);
                            assertThat(publish.get(0).getName()).isEqualTo("registry publish");
                            assertThat(publish.get(0).getKind()).isEqualTo(SpanKind.PRODUCER);
                            assertThat(publish.get(0).getTraceId()).isEqualTo(traceparent[1]);
                        });
    }
}
