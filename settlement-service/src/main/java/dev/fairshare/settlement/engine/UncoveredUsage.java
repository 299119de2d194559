package dev.fairshare.settlement.engine;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Usage of a model on a platform with no agreement in force on its days ("no agreement, no payout —
 * but never invisible"), summed per platform, model, customer type and revenue currency over {@code
 * firstDay..lastDay}. It is reported to the maker as unlicensed usage, and it is a {@code
 * complianceFinding} when the model's licence forbids commercial use and the customer is {@code
 * COMMERCIAL}.
 *
 * <p>Pooled usage of a model without a {@code POOL_SHARE} agreement is reported the same way, over
 * its whole period: {@code wouldHaveEarned} is then the model's part of the platform's pool, which
 * nobody is paid (it stays with the platform), in the pool's {@code currency}. It is null for usage
 * rated per event.
 */
public record UncoveredUsage(
        String platformId,
        String modelId,
        String makerId,
        CustomerType customerType,
        String currency,
        long events,
        BigDecimal revenue,
        Map<String, BigDecimal> units,
        boolean complianceFinding,
        LocalDate firstDay,
        LocalDate lastDay,
        BigDecimal wouldHaveEarned)
        implements UnratedUsage {

    public UncoveredUsage {
        NonNull.check(
                "platformId modelId makerId customerType",
                platformId,
                modelId,
                makerId,
                customerType);
        NonNull.check("currency revenue firstDay lastDay", currency, revenue, firstDay, lastDay);
        units = Collections.unmodifiableMap(new TreeMap<>(units));
    }
}
