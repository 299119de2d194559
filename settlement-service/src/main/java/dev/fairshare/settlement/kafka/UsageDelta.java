package dev.fairshare.settlement.kafka;

import java.util.List;
import java.util.Map;

/**
 * A message of {@code usage.attributed} as settlement reads it (the usage service owns the
 * contract; {@code src/test/resources/contracts/} pins it): sums of usage for one model on one
 * platform (negative rows when a dispute moves usage away), applied here once per {@code deltaId}.
 */
public record UsageDelta(String deltaId, String batchId, String modelId, List<Row> rows) {

    public record Row(
            String platformId,
            String day,
            String customerType,
            String currency,
            long events,
            String revenue,
            Map<String, String> units) {}
}
