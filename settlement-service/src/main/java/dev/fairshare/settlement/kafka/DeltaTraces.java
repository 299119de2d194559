package dev.fairshare.settlement.kafka;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.header.Header;

/**
 * The span of a poll of {@code usage.attributed} (docs/operations.md "Tracing"): one a poll, never
 * one a delta, in the trace of the first delta whose record carries a W3C {@code traceparent}
 * header (usage-service adds it to the deltas of a sampled trace); a new trace otherwise.
 */
@ApplicationScoped
public class DeltaTraces {
    private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();

    /** A record's headers as the propagator reads them. */
    private static final TextMapGetter<ConsumerRecord<?, ?>> HEADERS =
            new TextMapGetter<>() {
                @Override
                public Iterable<String> keys(ConsumerRecord<?, ?> record) {
                    return W3C.fields();
                }

                @Override
                public String get(ConsumerRecord<?, ?> record, String key) {
                    Header h = record == null ? null : record.headers().lastHeader(key);
                    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
                }
            };

    private final Tracer tracer;

    public DeltaTraces(Tracer tracer) {
        this.tracer = tracer;
    }

    /** Runs {@code apply} over {@code records} in the poll's span. */
    void inSpan(ConsumerRecords<String, String> records, Runnable apply) {
        SpanBuilder builder =
                tracer.spanBuilder(AttributedConsumer.TOPIC + " process")
                        .setSpanKind(SpanKind.CONSUMER)
                        .setNoParent()
                        .setAttribute("messaging.system", "kafka")
                        .setAttribute("messaging.batch.message_count", records.count());
        for (ConsumerRecord<String, String> r : records) {
            if (r.headers().lastHeader("traceparent") != null) {
                builder.setParent(W3C.extract(Context.root(), r, HEADERS));
                break;
            }
        }
        Span span = builder.startSpan();
        try (Scope ignored = span.makeCurrent()) {
            apply.run();
        } catch (RuntimeException e) {
            span.setStatus(StatusCode.ERROR, e.toString());
            throw e;
        } finally {
            span.end();
        }
    }
}
