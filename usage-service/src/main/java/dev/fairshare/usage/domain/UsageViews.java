package dev.fairshare.usage.domain;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the read side answers with: the roll-ups' summaries, the usage that resolves to no model,
 * one stored event with its attribution, and the records the consumer quarantined. Decimals are
 * plain strings.
 */
public final class UsageViews {
    private UsageViews() {}

    public record Money(String amount, String currency) {}

    public record SummaryItem(
            String platformId,
            String modelId,
            String period,
            long events,
            List<Money> revenue,
            Map<String, String> units) {}

    public record Unattributed(
            String platformId, String modelRef, long events, String firstSeen, String lastSeen) {}

    public record StoredEvent(
            String platformId,
            String eventId,
            String occurredAt,
            String modelRef,
            String customerType,
            Map<String, String> units,
            Money revenue,
            // pooled usage only; these reads are for the platform itself, FINANCE and ADMIN
            @JsonInclude(JsonInclude.Include.NON_NULL) String subscriberId,
            JsonNode components,
            JsonNode attribution,
            String attributedAt,
            String receivedAt,
            String source,
            String batchId) {}

    /** One quarantined record, where it was read, and why it was set aside. */
    public record Quarantined(
            long id,
            String platformId,
            String topic,
            int partition,
            long offset,
            String reason,
            Instant quarantinedAt) {}
}
