package dev.fairshare.settlement.engine;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * One step of a graduated {@link PerUnit} price: the units of the period's volume above the
 * previous tier's {@code upTo} and up to this one's (in raw metric units; {@code null} = no upper
 * bound) cost {@code price} per {@code unitSize} units.
 */
public record Tier(BigDecimal upTo, BigDecimal price) {

    public Tier {
        Objects.requireNonNull(price, "price");
        if (upTo != null && upTo.signum() <= 0) {
            throw new IllegalArgumentException("tier upTo must be positive: " + upTo);
        }
        if (price.signum() < 0) {
            throw new IllegalArgumentException("tier price must not be negative: " + price);
        }
    }
}
