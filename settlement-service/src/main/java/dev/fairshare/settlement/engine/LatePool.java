package dev.fairshare.settlement.engine;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Pooled usage that arrived for a closed period: the period's {@code pool} is split again with
 * {@code settled} (what its statements already split) plus {@code late}, and every model's
 * difference is settled as late adjustments. {@code topUpsOutstanding} is as in {@link LateUsage}.
 */
public record LatePool(
        Pool pool,
        List<PooledUsage> settled,
        List<PooledUsage> late,
        Map<String, BigDecimal> topUpsOutstanding) {

    public LatePool {
        Objects.requireNonNull(pool, "pool");
        new PoolPeriod(pool, settled);
        new PoolPeriod(pool, late);
        settled = List.copyOf(settled);
        late = List.copyOf(late);
        topUpsOutstanding = Map.copyOf(topUpsOutstanding);
    }
}
