package dev.fairshare.usage.domain;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A validated usage event (DESIGN.md, "The usage event"). {@code subscriberId} is null unless the
 * event is pooled usage of a subscription platform (DESIGN.md "Revenue pools").
 */
public record UsageEvent(
        String eventId,
        String platformId,
        String modelRef,
        Instant occurredAt,
        String customerType,
        Map<String, BigDecimal> units,
        BigDecimal revenue,
        String currency,
        List<Component> components,
        String subscriberId) {

    /** One model of a pipeline and its share of the event. */
    public record Component(String modelRef, BigDecimal weight) {}
}
