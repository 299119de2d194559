package dev.fairshare.settlement.engine;

import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Usage of a period that is already closed and that its statement did not pay: {@code settled} is
 * the usage already rated for {@code originalPeriod} (by its close and by earlier late
 * adjustments), {@code late} the usage to settle now (arrived after the close, or newly covered by
 * an agreement recorded after it). Both must lie in {@code originalPeriod}. {@code settled} is
 * needed to find the tier position already reached, so that late units pay the marginal price.
 *
 * <p>{@code topUpsOutstanding} is, per agreement id, the minimum-guarantee top-up of {@code
 * originalPeriod} that is still paid (its top-up line less the recoupments of earlier late
 * adjustments, see {@link SettlementEngine#topUpsOutstanding}); an agreement that is absent has
 * none. The late royalty of an agreement recoups it, down to zero.
 */
public record LateUsage(
        YearMonth originalPeriod,
        List<UsageRow> settled,
        List<UsageRow> late,
        Map<String, BigDecimal> topUpsOutstanding) {

    public LateUsage {
        Objects.requireNonNull(originalPeriod, "originalPeriod");
        settled = List.copyOf(settled);
        late = List.copyOf(late);
        topUpsOutstanding = Map.copyOf(topUpsOutstanding);
        for (Map.Entry<String, BigDecimal> topUp : topUpsOutstanding.entrySet()) {
            if (topUp.getValue().signum() < 0) {
                throw new IllegalArgumentException(
                        "outstanding top-up of agreement "
                                + topUp.getKey()
                                + " is negative: "
                                + topUp.getValue());
            }
        }
    }

    /** Late usage of a period whose statement paid no minimum-guarantee top-up. */
    public LateUsage(YearMonth originalPeriod, List<UsageRow> settled, List<UsageRow> late) {
        this(originalPeriod, settled, late, Map.of());
    }
}
