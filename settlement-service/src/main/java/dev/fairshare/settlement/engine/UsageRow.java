package dev.fairshare.settlement.engine;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Currency;
import java.util.Map;
import java.util.Objects;

/**
 * The usage roll-up grain that settlement rates: the sums, for one platform, model, UTC day,
 * customer type and revenue currency, of the attributed events. Pipelines are already split per
 * component model, so a row belongs to exactly one model. Counts, revenue and units are never
 * negative.
 */
public record UsageRow(
        String platformId,
        String modelId,
        LocalDate day,
        CustomerType customerType,
        String currency,
        long events,
        BigDecimal revenue,
        Map<String, BigDecimal> units) {

    public UsageRow {
        Objects.requireNonNull(platformId, "platformId");
        Objects.requireNonNull(modelId, "modelId");
        Objects.requireNonNull(day, "day");
        Objects.requireNonNull(customerType, "customerType");
        Objects.requireNonNull(revenue, "revenue");
        Currency.getInstance(Objects.requireNonNull(currency, "currency"));
        units = Map.copyOf(units);
        if (events < 0
                || revenue.signum() < 0
                || units.values().stream().anyMatch(u -> u.signum() < 0)) {
            throw new IllegalArgumentException(
                    "usage of "
                            + modelId
                            + " on "
                            + platformId
                            + " on "
                            + day
                            + " has negative events, revenue or units");
        }
    }
}
