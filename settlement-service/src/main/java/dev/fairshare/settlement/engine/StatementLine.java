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
    public static final Comparator<StatementLine> ORDER =
            Comparator.comparing(StatementLine::platformId)
                    .thenComparing(StatementLine::currency)
                    .thenComparing(StatementLine::makerId)
                    .thenComparing(
                            StatementLine::modelId,
                            Comparator.nullsFirst(Comparator.naturalOrder()))
                    .thenComparing(StatementLine::kind)
                    .thenComparing(
                            StatementLine::sourceModelId,
                            Comparator.nullsFirst(Comparator.naturalOrder()))
                    .thenComparing(
                            StatementLine::customerType,
                            Comparator.nullsFirst(Comparator.naturalOrder()))
                    .thenComparing(StatementLine::agreementId)
                    .thenComparing(
                            StatementLine::adjustsPeriod,
                            Comparator.nullsFirst(Comparator.naturalOrder()));

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
