package dev.fairshare.settlement.engine;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.List;

/**
 * {@code POOL_SHARE} terms: the agreement's models take part in the platform's revenue pool of each
 * period (see {@link Pools}). They rate no usage row: pooled usage is split by the pool, and usage
 * without a subscriber is rated only by a revenue-share or per-unit agreement, which may coexist
 * with this one for the same maker, platform and model.
 */
public record PoolShare() implements Terms {

    @Override
    public boolean appliesTo(UsageRow row, String agreementCurrency) {
        return false;
    }

    @Override
    public BigDecimal basis(UsageRow row) {
        return BigDecimal.ZERO;
    }

    @Override
    public List<BigDecimal> royalties(BigDecimal priorBasis, List<BigDecimal> bases) {
        return Collections.nCopies(bases.size(), BigDecimal.ZERO);
    }
}
