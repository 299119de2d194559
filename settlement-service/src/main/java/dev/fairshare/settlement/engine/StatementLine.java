package dev.fairshare.settlement.engine;

import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.Comparator;
import java.util.Objects;

/**
 * One line of a period's statement: what {@code platformId} owes {@code makerId} under {@code
 * agreementId}, in {@code currency}.
 *
 * <ul>
 *   <li>{@code sourceModelId} is the model whose usage earned the money; {@code modelId} is the
 *       model the maker is paid for (an ancestor of the source for an upstream hop). Both are the
 *       agreement's model ({@code null} for an all-models agreement) on a minimum-guarantee top-up,
 *       which also has no customer type.
 *   <li>{@code basis} is what the amount was computed from: the rated revenue or metric volume for
 *       a royalty, the amount the parent's share was applied to for an upstream hop, the pro-rated
 *       guarantee for a top-up.
 *   <li>{@code exactAmount} is unrounded; {@code amount} is rounded to the currency's minor unit by
 *       the largest-remainder method over the whole invoice (platform and currency).
 *   <li>{@code adjustsPeriod} is the closed period a {@code LATE_ADJUSTMENT} line corrects, and
 *       null otherwise.
 * </ul>
 */
public record StatementLine(
        YearMonth period,
        String makerId,
        String platformId,
        String modelId,
        String agreementId,
        LineKind kind,
        String sourceModelId,
        CustomerType customerType,
        BigDecimal basis,
        BigDecimal exactAmount,
        BigDecimal amount,
        String currency,
        YearMonth adjustsPeriod) {

    /**
     * The statement's deterministic order: platform, currency, maker, model (nulls first), kind,
     * source model, customer type, agreement, adjusted period. Within one period it identifies a
     * line uniquely.
     */
    public static final Comparator<StatementLine> ORDER = StatementLine::compareInOrder;

    public StatementLine {
        Objects.requireNonNull(period, "period");
        Objects.requireNonNull(makerId, "makerId");
        Objects.requireNonNull(platformId, "platformId");
        Objects.requireNonNull(agreementId, "agreementId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(basis, "basis");
        Objects.requireNonNull(exactAmount, "exactAmount");
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(currency, "currency");
        boolean topUp = kind == LineKind.MINIMUM_GUARANTEE_TOPUP;
        if (topUp != (customerType == null)
                || (!topUp && (modelId == null || sourceModelId == null))) {
            throw new IllegalArgumentException(
                    "only a top-up line has no customer type, and only a top-up may have no model: "
                            + kind);
        }
        if ((kind == LineKind.LATE_ADJUSTMENT) != (adjustsPeriod != null)) {
            throw new IllegalArgumentException(
                    "adjustsPeriod is required on, and only on, a late adjustment");
        }
    }

    /**
     * {@link #ORDER}, written out: a close sorts tens of thousands of lines, and this is much
     * faster than the equivalent chain of {@code Comparator.comparing}.
     */
    private static int compareInOrder(StatementLine a, StatementLine b) {
        int c = a.platformId.compareTo(b.platformId);
        if (c == 0) {
            c = a.currency.compareTo(b.currency);
        }
        if (c == 0) {
            c = a.makerId.compareTo(b.makerId);
        }
        if (c == 0) {
            c = nullsFirst(a.modelId, b.modelId);
        }
        if (c == 0) {
            c = a.kind.compareTo(b.kind);
        }
        if (c == 0) {
            c = nullsFirst(a.sourceModelId, b.sourceModelId);
        }
        if (c == 0) {
            c = nullsFirst(a.customerType, b.customerType);
        }
        if (c == 0) {
            c = a.agreementId.compareTo(b.agreementId);
        }
        if (c == 0) {
            c = nullsFirst(a.adjustsPeriod, b.adjustsPeriod);
        }
        return c;
    }

    private static <T extends Comparable<? super T>> int nullsFirst(T a, T b) {
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : -1) : 1;
        }
        return a.compareTo(b);
    }

    /** An unrounded line: its amount is its exact amount. */
    static StatementLine exact(
            YearMonth period,
            String makerId,
            String platformId,
            String modelId,
            String agreementId,
            LineKind kind,
            String sourceModelId,
            CustomerType customerType,
            BigDecimal basis,
            BigDecimal exactAmount,
            String currency,
            YearMonth adjustsPeriod) {
        return new StatementLine(
                period,
                makerId,
                platformId,
                modelId,
                agreementId,
                kind,
                sourceModelId,
                customerType,
                basis,
                exactAmount,
                exactAmount,
                currency,
                adjustsPeriod);
    }

    /** This line with the other line's (same identity) basis and amounts added. */
    StatementLine plus(StatementLine other) {
        return new StatementLine(
                period,
                makerId,
                platformId,
                modelId,
                agreementId,
                kind,
                sourceModelId,
                customerType,
                basis.add(other.basis),
                exactAmount.add(other.exactAmount),
                amount.add(other.amount),
                currency,
                adjustsPeriod);
    }

    /** This line with its rounded amount. */
    StatementLine withAmount(BigDecimal rounded) {
        return new StatementLine(
                period,
                makerId,
                platformId,
                modelId,
                agreementId,
                kind,
                sourceModelId,
                customerType,
                basis,
                exactAmount,
                rounded,
                currency,
                adjustsPeriod);
    }
}
