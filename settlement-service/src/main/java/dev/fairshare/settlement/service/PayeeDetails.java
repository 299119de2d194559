package dev.fairshare.settlement.service;

import dev.fairshare.settlement.engine.Payouts;
import dev.fairshare.settlement.engine.Rounding;
import dev.fairshare.settlement.problem.FieldError;
import dev.fairshare.settlement.problem.ProblemException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.iban4j.BicUtil;
import org.iban4j.Iban4jException;
import org.iban4j.IbanUtil;

/**
 * A payout profile as a maker or finance writes it: checked (the IBAN's country format and check
 * digits and the BIC by iban4j), normalised (no spaces, upper case), and masked for everyone else.
 */
public record PayeeDetails(
        String currency,
        BigDecimal threshold,
        String payeeName,
        String iban,
        String bic,
        String providerAccount) {

    static final int MAX_NAME = 70;
    private static final Pattern PROVIDER_ACCOUNT = Pattern.compile("[A-Za-z0-9._:@+-]{3,64}");
    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");

    /** A payout profile as it is sent (the body of {@code PUT /payout-profiles/{makerId}}). */
    public record ProfileRequest(
            String currency,
            String threshold,
            String payeeName,
            String iban,
            String bic,
            String providerAccount) {}

    /**
     * Checks and normalises what was sent; the threshold defaults to {@code defaultThreshold} of
     * the currency. Every offending field is named in one 422 VALIDATION_FAILED.
     */
    public static PayeeDetails of(
            ProfileRequest sent, java.util.function.Function<String, BigDecimal> defaultThreshold) {
        List<FieldError> errors = new ArrayList<>();
        String cur = currency(sent.currency(), errors);
        BigDecimal limit =
                cur == null ? null : threshold(sent.threshold(), cur, defaultThreshold, errors);
        String name = sent.payeeName() == null ? "" : sent.payeeName().strip();
        if (name.isEmpty() || name.length() > MAX_NAME) {
            errors.add(
                    error("payeeName", "INVALID_PAYEE_NAME", "1 to " + MAX_NAME + " characters"));
        }
        String account = blankToNull(sent.providerAccount());
        if ((blankToNull(sent.iban()) == null) == (account == null)) {
            errors.add(
                    error(
                            "iban",
                            "IBAN_OR_PROVIDER_ACCOUNT",
                            "exactly one of iban and providerAccount"));
        }
        String normalIban = iban(sent.iban(), errors);
        String normalBic = bic(sent.bic(), normalIban, errors);
        if (account != null && !PROVIDER_ACCOUNT.matcher(account).matches()) {
            errors.add(
                    error(
                            "providerAccount",
                            "INVALID_PROVIDER_ACCOUNT",
                            "3 to 64 letters, digits or . _ : @ + -"));
        }
        if (!errors.isEmpty()) {
            throw new ProblemException(
                    422,
                    "VALIDATION_FAILED",
                    errors.size() == 1
                            ? errors.get(0).field() + ": " + errors.get(0).message()
                            : "the profile has " + errors.size() + " invalid fields",
                    errors);
        }
        return new PayeeDetails(
                cur,
                limit.setScale(Rounding.fractionDigits(cur)),
                name,
                normalIban,
                normalBic,
                account);
    }

    /** The currency, trimmed; null (and an error) unless it is an ISO 4217 code. */
    private static String currency(String currency, List<FieldError> errors) {
        String cur = currency == null ? null : currency.trim();
        if (cur == null || !validCurrency(cur)) {
            errors.add(error("currency", "INVALID_CURRENCY", "an ISO 4217 code such as USD"));
            return null;
        }
        return cur;
    }

    /**
     * The threshold in {@code cur} (its default when none is sent): a decimal at the currency's
     * minor unit, at least the smallest threshold of {@code cur}.
     */
    private static BigDecimal threshold(
            String threshold,
            String cur,
            java.util.function.Function<String, BigDecimal> defaultThreshold,
            List<FieldError> errors) {
        BigDecimal limit = threshold == null ? defaultThreshold.apply(cur) : decimal(threshold);
        if (limit == null
                || limit.scale() > Rounding.fractionDigits(cur)
                || limit.compareTo(Payouts.minThreshold(cur)) < 0) {
            errors.add(
                    error(
                            "threshold",
                            "INVALID_THRESHOLD",
                            "a decimal string of at least "
                                    + Payouts.minThreshold(cur).toPlainString()
                                    + " at the minor unit of "
                                    + cur));
        }
        return limit;
    }

    /** The IBAN without spaces, upper case, checked by iban4j; null when none is sent. */
    private static String iban(String iban, List<FieldError> errors) {
        String normal = blankToNull(iban);
        if (normal == null) {
            return null;
        }
        normal = normal.replace(" ", "").toUpperCase(Locale.ROOT);
        try {
            IbanUtil.validate(normal);
        } catch (Iban4jException e) {
            errors.add(error("iban", "INVALID_IBAN", "not a valid IBAN: " + e.getMessage()));
        }
        return normal;
    }

    /** The BIC without spaces, upper case, checked by iban4j; only beside an IBAN. */
    private static String bic(String bic, String iban, List<FieldError> errors) {
        String normal = blankToNull(bic);
        if (normal == null) {
            return null;
        }
        normal = normal.replace(" ", "").toUpperCase(Locale.ROOT);
        if (iban == null) {
            errors.add(error("bic", "INVALID_BIC", "a BIC goes with an IBAN"));
            return normal;
        }
        try {
            BicUtil.validate(normal);
        } catch (Iban4jException e) {
            errors.add(error("bic", "INVALID_BIC", "not a valid BIC: " + e.getMessage()));
        }
        return normal;
    }

    /** Whether {@code code} is an ISO 4217 currency code. */
    public static boolean validCurrency(String code) {
        if (!CURRENCY.matcher(code).matches()) {
            return false;
        }
        try {
            Currency.getInstance(code);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** An IBAN with all but its first four and last four characters starred. */
    public static String maskIban(String iban) {
        if (iban == null) {
            return null;
        }
        return iban.length() <= 8
                ? "*".repeat(iban.length())
                : iban.substring(0, 4)
                        + "*".repeat(iban.length() - 8)
                        + iban.substring(iban.length() - 4);
    }

    /** A provider account with all but its last four characters starred. */
    public static String maskAccount(String account) {
        if (account == null) {
            return null;
        }
        return account.length() <= 4
                ? "*".repeat(account.length())
                : "*".repeat(account.length() - 4) + account.substring(account.length() - 4);
    }

    /** The profile in one line, bank details masked: what the change history keeps. */
    public String masked() {
        return "currency="
                + currency
                + "; threshold="
                + threshold.toPlainString()
                + "; payeeName="
                + payeeName
                + (iban != null ? "; iban=" + maskIban(iban) : "")
                + (bic != null ? "; bic=" + bic : "")
                + (providerAccount != null
                        ? "; providerAccount=" + maskAccount(providerAccount)
                        : "");
    }

    private static FieldError error(String field, String code, String message) {
        return new FieldError(field, code, message);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private static BigDecimal decimal(String s) {
        try {
            return new BigDecimal(s.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
