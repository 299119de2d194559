package dev.fairshare.settlement.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.math.BigDecimal;
import java.util.Map;

/** Payout settings (prefix {@code settlement.payout}). */
@ConfigMapping(prefix = "settlement.payout")
public interface PayoutConfig {
    /** A profile's threshold when it names none, per payout currency (e.g. USD 10.00, JPY 1000). */
    Map<String, BigDecimal> thresholds();

    /** The threshold of a currency that {@link #thresholds()} does not list, in major units. */
    @WithDefault("10")
    BigDecimal otherThreshold();

    /** The debtor of the payment files: the clearing house's own account. */
    Debtor debtor();

    interface Debtor {
        @WithDefault("Fairshare Clearing")
        String name();

        @WithDefault("DE89370400440532013000")
        String iban();

        @WithDefault("COBADEFFXXX")
        String bic();
    }

    default BigDecimal threshold(String currency) {
        return thresholds().getOrDefault(currency, otherThreshold());
    }
}
