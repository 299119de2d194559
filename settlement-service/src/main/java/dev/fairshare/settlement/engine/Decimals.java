package dev.fairshare.settlement.engine;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * The engine's only divisions: scale 18, HALF_EVEN, with residuals assigned so that parts sum to
 * wholes.
 */
final class Decimals {

    static final int SCALE = 18;

    private Decimals() {}

    static BigDecimal divide(BigDecimal dividend, BigDecimal divisor) {
        return dividend.divide(divisor, SCALE, RoundingMode.HALF_EVEN);
    }

    /**
     * Splits {@code whole} in proportion to non-negative {@code weights}. Each part is computed at
     * scale 18; the residual goes to the part with the largest weight (the first one on ties), so
     * the parts sum to {@code whole} exactly. Zero total weight gives the whole to the first part.
     */
    static List<BigDecimal> allocate(BigDecimal whole, List<BigDecimal> weights) {
        BigDecimal totalWeight = weights.stream().reduce(BigDecimal.ZERO, BigDecimal::add);
        List<BigDecimal> parts = new ArrayList<>(weights.size());
        BigDecimal residual = whole;
        int largest = 0;
        for (int i = 0; i < weights.size(); i++) {
            BigDecimal part =
                    totalWeight.signum() == 0
                            ? BigDecimal.ZERO
                            : divide(whole.multiply(weights.get(i)), totalWeight);
            parts.add(part);
            residual = residual.subtract(part);
            if (weights.get(i).compareTo(weights.get(largest)) > 0) {
                largest = i;
            }
        }
        if (!parts.isEmpty()) {
            parts.set(largest, parts.get(largest).add(residual));
        }
        return parts;
    }
}
