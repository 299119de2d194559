package dev.fairshare.settlement.web;

import java.math.BigDecimal;
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
}
