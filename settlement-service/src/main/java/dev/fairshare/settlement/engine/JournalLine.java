package dev.fairshare.settlement.engine;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * One line of a {@link JournalEntry}: a debit or a credit of {@code account} in {@code currency}.
 * Exactly one of {@code debit} and {@code credit} is positive and the other is zero; both are
 * amounts at the currency's minor unit ({@link Rounding#fractionDigits}) and are kept at that
 * scale, so that {@code 6} and {@code 6.00} USD make equal lines. An amount finer than the minor
 * unit is an error, never rounded here.
 */
public record JournalLine(String account, String currency, BigDecimal debit, BigDecimal credit) {

    public JournalLine {
        NonNull.check("account currency debit credit", account, currency, debit, credit);
        if (debit.signum() < 0
                || credit.signum() < 0
                || (debit.signum() > 0) == (credit.signum() > 0)) {
            throw new IllegalArgumentException(
                    "journal line of "
                            + account
                            + ": exactly one of debit "
                            + debit
                            + " and credit "
                            + credit
                            + " must be positive, the other zero");
        }
        debit = atMinorUnit(account, currency, debit);
        credit = atMinorUnit(account, currency, credit);
    }

    /** A debit of {@code amount} (positive) to {@code account}. */
    public static JournalLine debit(String account, String currency, BigDecimal amount) {
        return new JournalLine(account, currency, amount, BigDecimal.ZERO);
    }

    /** A credit of {@code amount} (positive) to {@code account}. */
    public static JournalLine credit(String account, String currency, BigDecimal amount) {
        return new JournalLine(account, currency, BigDecimal.ZERO, amount);
    }

    /** What the line adds to its account's balance: {@code credit − debit}. */
    public BigDecimal balance() {
        return credit.subtract(debit);
    }

    private static BigDecimal atMinorUnit(String account, String currency, BigDecimal amount) {
        int digits = Rounding.fractionDigits(currency);
        try {
            return amount.setScale(digits, RoundingMode.UNNECESSARY);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(
                    "journal line of "
                            + account
                            + ": "
                            + amount
                            + " is not an amount at the minor unit of "
                            + currency,
                    e);
        }
    }
}
