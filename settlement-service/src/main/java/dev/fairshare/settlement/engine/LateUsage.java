package dev.fairshare.settlement.engine;

import java.time.YearMonth;
import java.util.List;
import java.util.Objects;

/**
 * Usage that arrived for a period that is already closed: {@code settled} is the usage the closed
 * statement was computed from, {@code late} the new usage for that period. Both must lie in {@code
 * originalPeriod}. {@code settled} is needed to find the tier position already reached, so that
 * late units pay the marginal price.
 */
public record LateUsage(YearMonth originalPeriod, List<UsageRow> settled, List<UsageRow> late) {

    public LateUsage {
        Objects.requireNonNull(originalPeriod, "originalPeriod");
        settled = List.copyOf(settled);
        late = List.copyOf(late);
    }
}
