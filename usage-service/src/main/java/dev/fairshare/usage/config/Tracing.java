package dev.fairshare.usage.config;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Traces through Kafka (docs/operations.md "Tracing"): the W3C trace context in a record's {@code
 * traceparent} header, written and read by OpenTelemetry's propagator, only for sampled traces (an
 * unsampled one would cost every record's bytes and show nothing). A batch of records is one span,
 * never one a record. Work committed in one place and sent on from another (a batch's sums, folded
 * later; the outbox's deltas, relayed later) is handed over by its batch id, in memory, for sampled
 * traces only: a fold or a relay in another instance, or after a restart, starts without it.
 */
@ApplicationScoped
public class Tracing {
    /** Sampled contexts waiting for the fold or the relay, at most this many (oldest dropped). */
    static final int WAITING = 256;

    static final String TRACEPARENT = "traceparent";

    private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();

    private static final TextMapSetter<Headers> SETTER =
            (headers, key, value) -> headers.add(key, value.getBytes(StandardCharsets.UTF_8));

    private static final TextMapGetter<Headers> GETTER =
            new TextMapGetter<>() {
                @Override
                public Iterable<String> keys(Headers headers) {
                    List<String> keys = new ArrayList<>();
                    headers.forEach(h -> keys.add(h.key()));
                    return keys;
                }

                @Override
                public String get(Headers headers, String key) {
                    Header h = headers == null ? null : headers.lastHeader(key);
                    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
                }
            };

    private final Tracer tracer;
    private final Map<String, Context> waiting =
            Collections.synchronizedMap(
                    new LinkedHashMap<>() {
                        @Override
                        protected boolean removeEldestEntry(Map.Entry<String, Context> eldest) {
                            return size() > WAITING;
                        }
                    });

    public Tracing(Tracer tracer) {
        this.tracer = tracer;
    }

    /** The headers that carry {@code context} to a record; null unless its span is sampled. */
    public static Headers headers(Context context) {
        if (!Span.fromContext(context).getSpanContext().isSampled()) {
            return null;
        }
        Headers headers = new RecordHeaders();
        W3C.inject(context, headers, SETTER);
        return headers;
    }

    /**
     * Starts the span of a batch of {@code records}: it continues the trace of the first record
     * that carries one and links the others' (a record carries a context only when its trace is
     * sampled; the records of one request carry the same). The caller makes it current and ends it.
     */
    public Span startBatch(
            String name, SpanKind kind, List<? extends ConsumerRecord<?, ?>> records) {
        List<Context> traced = new ArrayList<>();
        byte[] last = null;
        for (ConsumerRecord<?, ?> r : records) {
            Header h = r.headers().lastHeader(TRACEPARENT);
            if (h != null && !Arrays.equals(h.value(), last)) {
                last = h.value();
                traced.add(W3C.extract(Context.root(), r.headers(), GETTER));
            }
        }
        return start(name, kind, traced)
                .setAttribute("messaging.system", "kafka")
                .setAttribute("messaging.batch.message_count", records.size());
    }

    /**
     * Starts a span of {@code kind} in the trace of the first valid one of {@code traced}, linked
     * to the others; a new trace (sampled at the configured ratio) when there is none. The caller
     * ends it.
     */
    public Span start(String name, SpanKind kind, List<Context> traced) {
        SpanBuilder span = tracer.spanBuilder(name).setSpanKind(kind).setNoParent();
        boolean continued = false;
        for (Context context : traced) {
            SpanContext sc = Span.fromContext(context).getSpanContext();
            if (continued) {
                span.addLink(sc);
            } else if (sc.isValid()) {
                span.setParent(context);
                continued = true;
            }
        }
        return span.startSpan();
    }

    /**
     * Hands the current context over to the work that takes up batch {@code batchId} later (the
     * fold of its sums, the relay of its deltas): only a sampled one.
     */
    public void handOver(String batchId) {
        SpanContext current = Span.current().getSpanContext();
        if (current.isSampled()) {
            // its ids alone: the span itself, ended by then, is not kept
            waiting.put(batchId, Context.root().with(Span.wrap(current)));
        }
    }

    /** The context handed over with batch {@code batchId}; null when none is waiting. */
    public Context takeUp(String batchId) {
        return waiting.isEmpty() ? null : waiting.get(batchId);
    }
}
