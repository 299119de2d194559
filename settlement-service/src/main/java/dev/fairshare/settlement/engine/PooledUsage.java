package dev.fairshare.settlement.engine;

import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.Map;

/**
 * Pooled usage of one model by one subscriber of a subscription platform in a period, per customer
 * type: the sums of the events that carried that {@code subscriberId}. Revenue pools split the
 * platform's declared pool by it; it is never rated per event. Late pooled usage may be negative (a
 * dispute correction taking usage from a model).
 */
public record PooledUsage(
        String platformId,
        String modelId,
        String subscriberId,
        YearMonth period,
        CustomerType customerType,
        long events,
        Map<String, BigDecimal> units) {

    public PooledUsage {
        NonNull.check(
                "platformId modelId subscriberId period customerType",
                platformId,
                modelId,
                subscriberId,
                period,
                customerType);
        units = Map.copyOf(units);
    }

    /** The row's units of {@code metric}; none when it does not report it. */
    public BigDecimal metric(String metric) {
        return units.getOrDefault(metric, BigDecimal.ZERO);
    }
}
