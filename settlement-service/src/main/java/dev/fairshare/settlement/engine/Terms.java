package dev.fairshare.settlement.engine;

import java.math.BigDecimal;
import java.util.List;

/**
 * The immutable pricing terms of an agreement: a {@link RevenueShare}, a graduated {@link PerUnit}
 * price, or a {@link PoolShare} (the model takes part in the platform's revenue pool, which {@link
 * Pools} splits; such terms rate no usage row).
 *
 * <p>Rating works on groups of usage of one agreement in one period (one group per model and
 * customer type): each row contributes its {@link #basis basis} (revenue or metric units) to its
 * group, and {@link #royalties} turns the groups' bases into one royalty per group.
 */
public sealed interface Terms permits RevenueShare, PerUnit, PoolShare {

    /**
     * Whether these terms rate the row at all under an agreement in {@code agreementCurrency}.
     * Revenue in another currency is never converted, so a revenue share does not rate it; per-unit
     * terms rate units whatever the revenue currency.
     */
    boolean appliesTo(UsageRow row, String agreementCurrency);

    /** The quantity of the row that these terms price: its revenue, or its units of the metric. */
    BigDecimal basis(UsageRow row);

    /**
     * The royalty of each group, given its basis, on top of {@code priorBasis} already rated under
     * the same agreement in the same period (zero for a normal statement; the settled volume for
     * late usage, so that graduated tiers charge the marginal amount). The result has one amount
     * per group, in order, and the amounts sum exactly to the royalty of the groups taken together.
     */
    List<BigDecimal> royalties(BigDecimal priorBasis, List<BigDecimal> bases);
}
