package dev.fairshare.settlement.engine;

import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.Collections;
import java.util.Currency;
import java.util.Map;
import java.util.TreeMap;

/**
 * A platform's revenue pool for one period, as the platform declared it: its subscription {@code
 * revenue} in {@code currency}, the {@code makerShare} (0 to 1) of it that goes to makers, the
 * {@code metric} (a unit name) that measures use, the {@code method}, and optionally each
 * subscriber's {@code fees} (a USER_CENTRIC pool with fees splits by them instead of equally).
 */
public record Pool(
        String platformId,
        YearMonth period,
        String currency,
        BigDecimal revenue,
        BigDecimal makerShare,
        String metric,
        PoolMethod method,
        Map<String, BigDecimal> fees) {

    public Pool {
        NonNull.check("platformId period currency", platformId, period, currency);
        Currency.getInstance(currency);
        NonNull.check("revenue makerShare metric method", revenue, makerShare, metric, method);
        if (revenue.signum() < 0) {
            throw new IllegalArgumentException("pool revenue must not be negative: " + revenue);
        }
        if (makerShare.signum() < 0 || makerShare.compareTo(BigDecimal.ONE) > 0) {
            throw new IllegalArgumentException("makerShare must lie in [0, 1]: " + makerShare);
        }
        for (BigDecimal fee : fees.values()) {
            if (fee.signum() < 0) {
                throw new IllegalArgumentException("a subscriber's fee must not be negative");
            }
        }
        fees = Collections.unmodifiableMap(new TreeMap<>(fees));
    }

    /** What the makers share: {@code revenue × makerShare}, exactly. */
    public BigDecimal makersPart() {
        return revenue.multiply(makerShare);
    }
}
