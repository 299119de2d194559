package dev.fairshare.settlement.engine;

import java.util.List;
import java.util.Objects;

/** A declared pool and the pooled usage of its platform and period that it splits. */
public record PoolPeriod(Pool pool, List<PooledUsage> usage) {

    public PoolPeriod {
        Objects.requireNonNull(pool, "pool");
        usage = List.copyOf(usage);
        for (PooledUsage u : usage) {
            if (!u.platformId().equals(pool.platformId()) || !u.period().equals(pool.period())) {
                throw new IllegalArgumentException(
                        "pooled usage of "
                                + u.platformId()
                                + " in "
                                + u.period()
                                + " does not belong to the pool of "
                                + pool.platformId()
                                + " in "
                                + pool.period());
            }
        }
    }
}
