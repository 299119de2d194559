package dev.fairshare.settlement.store;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;

/**
 * A message of {@code usage.attributed} as settlement reads it and the rollups fold it (the usage
 * service owns the contract; {@code src/test/resources/contracts/} pins it): sums of usage for one
 * model on one platform (negative rows when a dispute moves usage away), applied here once per
 * {@code deltaId}. A row with a {@code subscriberId} is pooled usage of that subscriber (the sums
 * of its events of that platform, day, customer type and currency), split by the platform's revenue
 * pool instead of being rated per event.
 */
public record UsageDelta(String deltaId, String batchId, String modelId, List<Row> rows) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({
        "platformId",
        "day",
        "customerType",
        "currency",
        "subscriberId",
        "events",
        "revenue",
        "units"
    })
    public record Row(
            String platformId,
            String day,
            String customerType,
            String currency,
            String subscriberId,
            long events,
            String revenue,
            Map<String, String> units) {}
}
