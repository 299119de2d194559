package dev.fairshare.settlement.engine;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

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
        // a pool period checks that each row is of the pool's platform and period, and copies them
        settled = new PoolPeriod(pool, settled).usage();
        late = new PoolPeriod(pool, late).usage();
        topUpsOutstanding = Map.copyOf(topUpsOutstanding);
    }
}
