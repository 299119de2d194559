package dev.fairshare.usage.store;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * A message of {@code usage.attributed} (key: modelId): sums of usage for one model on one
 * platform, added to (or, for a dispute's correction, taken from) the roll-ups. A fold of the
 * committed batches sends the usage rated per event, one delta per (model, platform), split when it
 * has many rows, with the fold's id as {@code batchId}; pooled usage leaves with the batch that
 * stored its events, in deltas of the same shape with that batch's id. A re-attribution sends a
 * negative delta for the old model and a positive one for the new. {@code deltaId} is unique, so
 * that a consumer applies each delta exactly once. Decimals travel as strings.
 */
public record AttributedDelta(String deltaId, String batchId, String modelId, List<Row> rows) {

    /**
     * Sums for (platform, model, UTC day, customer type, currency), and for one subscriber when the
     * row is pooled usage (DESIGN.md "Revenue pools"); a row without {@code subscriberId} (the
     * field absent) is usage rated per event.
     */
    public record Row(
            String platformId,
            String day,
            String customerType,
            String currency,
            @JsonInclude(JsonInclude.Include.NON_NULL) String subscriberId,
            long events,
            String revenue,
            Map<String, String> units) {}
}
