package dev.fairshare.settlement.engine;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Currency;
import java.util.Map;

/**
 * The usage roll-up grain that settlement rates: the sums, for one platform, model, UTC day,
 * customer type and revenue currency, of the attributed events. Pipelines are already split per
 * component model, so a row belongs to exactly one model. A period's own usage is never negative;
 * late usage may be: a dispute correction takes a ref's events from the model that held it
 * (negative sums for that model) and gives them to another (positive sums).
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
        NonNull.check(
                "platformId modelId day customerType revenue currency",
                platformId,
                modelId,
                day,
                customerType,
                revenue,
                currency);
        Currency.getInstance(currency);
        units = Map.copyOf(units);
    }
}
