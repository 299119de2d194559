package dev.fairshare.settlement.engine;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;

/**
 * {@code REVENUE_SHARE} terms: the royalty is {@code rate × revenue} of the usage the platform
 * reported in the agreement's currency. Revenue in any other currency is not rated (it is listed by
 * {@link Coverage#currencyMismatched}). The multiplication is exact.
 */
public record RevenueShare(BigDecimal rate) implements Terms {

    public RevenueShare {
        Objects.requireNonNull(rate, "rate");
        if (rate.signum() < 0) {
            throw new IllegalArgumentException("revenue share rate must not be negative: " + rate);
        }
    }

    @Override
    public boolean appliesTo(UsageRow row, String agreementCurrency) {
        return row.currency().equals(agreementCurrency);
    }

    @Override
    public BigDecimal basis(UsageRow row) {
        return row.revenue();
    }

    /** Revenue share is linear, so earlier revenue in the period does not change the rate. */
    @Override
    public List<BigDecimal> royalties(BigDecimal priorBasis, List<BigDecimal> bases) {
        return bases.stream().map(rate::multiply).toList();
    }
}
