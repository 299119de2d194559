package dev.fairshare.usage.kafka;

import dev.fairshare.usage.domain.EventError;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;

/** The metric of rejected events, counted once per code an event broke, by ingestion path. */
public final class RejectedEvents {
    private RejectedEvents() {}

    /**
     * Counts one rejected event with {@code errors} on {@code path} ({@code http}, {@code kafka}).
     */
    public static void count(MeterRegistry metrics, List<EventError> errors, String path) {
        errors.stream()
                .map(EventError::code)
                .distinct()
                .forEach(
                        code ->
                                metrics.counter("usage.events.rejected", "code", code, "path", path)
                                        .increment());
    }
}
