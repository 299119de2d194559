package dev.fairshare.usage.kafka;

import java.util.List;
import java.util.Map;

/**
 * A message of {@code usage.attributed} (key: modelId): the sums that one committed batch added for
 * one model. {@code deltaId} is unique, so that a consumer applies each delta exactly once.
 * Decimals travel as strings.
 */
public record AttributedDelta(String deltaId, String batchId, String modelId, List<Row> rows) {

    /** Sums for (platform, model, UTC day, customer type, currency). */
    public record Row(
            String platformId,
            String day,
            String customerType,
            String currency,
            long events,
            String revenue,
            Map<String, String> units) {}
}
