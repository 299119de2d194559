package dev.fairshare.settlement.service.dashboard;

import dev.fairshare.settlement.engine.Rounding;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.NumberFormat;
import java.util.Currency;
import java.util.Locale;

/** Amounts as people read them: the currency's symbol and its minor unit ($25.66, €9.20, ¥120). */
final class Money {
    private Money() {}

    static String format(BigDecimal amount, String currency) {
        Currency c = Currency.getInstance(currency);
        NumberFormat f = NumberFormat.getCurrencyInstance(Locale.US);
        f.setCurrency(c);
        int digits = Math.max(0, c.getDefaultFractionDigits());
        f.setMinimumFractionDigits(digits);
        f.setMaximumFractionDigits(digits);
        return f.format(amount);
    }

    /**
     * A rounded amount as a decimal at the currency's minor unit (25.66, 120), as the API writes
     * it; an amount with more digits than that is an error, not rounded here.
     */
    static String minorUnits(BigDecimal amount, String currency) {
        return amount.setScale(Rounding.fractionDigits(currency), RoundingMode.UNNECESSARY)
                .toPlainString();
    }

    /** A decimal without trailing zeros, never in exponent notation (a basis, a share). */
    static String plain(BigDecimal d) {
        BigDecimal s = d.stripTrailingZeros();
        return (s.scale() < 0 ? s.setScale(0) : s).toPlainString();
    }
}
