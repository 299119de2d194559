package dev.fairshare.settlement.engine;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;

/**
 * {@code PER_UNIT} terms: a graduated price over the agreement's whole volume of {@code metric} in
 * the period. Each tier prices the units that fall into it at {@code price} per {@code unitSize}
 * units, and blocks are fractional (units / unitSize is never rounded): with unitSize 1000 and
 * tiers [up to 1,000,000 at 0.05, rest at 0.03], 1,300,000 units cost 1000 × 0.05 + 300 × 0.03 =
 * 59.00.
 *
 * <p>Tiers must have strictly increasing {@code upTo}, and the last tier must be open-ended so that
 * every unit has a price. The price of a volume is computed exactly and divided once by {@code
 * unitSize} (scale 18, HALF_EVEN). The agreement's royalty is then allocated to its groups in
 * proportion to their volume, the scale-18 residual going to the largest group, so that the parts
 * sum exactly to the whole.
 */
public record PerUnit(String metric, BigDecimal unitSize, List<Tier> tiers) implements Terms {

    public PerUnit {
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(unitSize, "unitSize");
        tiers = List.copyOf(tiers);
        if (metric.isBlank()) {
            throw new IllegalArgumentException("per-unit metric must not be blank");
        }
        if (unitSize.signum() <= 0) {
            throw new IllegalArgumentException("per-unit unitSize must be positive: " + unitSize);
        }
        if (tiers.isEmpty() || tiers.get(tiers.size() - 1).upTo() != null) {
            throw new IllegalArgumentException(
                    "per-unit tiers must end with an open-ended tier (upTo null)");
        }
        for (int i = 1; i < tiers.size(); i++) {
            BigDecimal previous = tiers.get(i - 1).upTo();
            BigDecimal current = tiers.get(i).upTo();
            if (previous == null || (current != null && current.compareTo(previous) <= 0)) {
                throw new IllegalArgumentException(
                        "per-unit tier bounds must strictly increase: " + tiers);
            }
        }
    }

    @Override
    public boolean appliesTo(UsageRow row, String agreementCurrency) {
        return true;
    }

    /** The row's units of the metric; a row that does not report the metric has none. */
    @Override
    public BigDecimal basis(UsageRow row) {
        return row.units().getOrDefault(metric, BigDecimal.ZERO);
    }

    /**
     * The marginal price {@code price(prior + volume) − price(prior)} of the groups' volume,
     * allocated to the groups in proportion to their volume.
     */
    @Override
    public List<BigDecimal> royalties(BigDecimal priorBasis, List<BigDecimal> bases) {
        BigDecimal volume = bases.stream().reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal marginal = price(priorBasis.add(volume)).subtract(price(priorBasis));
        return Decimals.allocate(marginal, bases);
    }

    /** The graduated price of a period's whole volume (in raw metric units). */
    public BigDecimal price(BigDecimal volume) {
        BigDecimal unitsTimesPrice = BigDecimal.ZERO;
        BigDecimal lower = BigDecimal.ZERO;
        for (Tier tier : tiers) {
            BigDecimal upper = tier.upTo() == null ? volume : tier.upTo().min(volume);
            if (upper.compareTo(lower) <= 0) {
                break;
            }
            unitsTimesPrice = unitsTimesPrice.add(upper.subtract(lower).multiply(tier.price()));
            lower = upper;
        }
        return Decimals.divide(unitsTimesPrice, unitSize);
    }
}
