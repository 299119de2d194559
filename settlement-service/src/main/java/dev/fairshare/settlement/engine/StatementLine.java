package dev.fairshare.settlement.engine;

import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.Comparator;
import java.util.List;

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
 *   <li>{@code adjustsPeriod} is the closed period a {@code LATE_ADJUSTMENT} or {@code
 *       GUARANTEE_RECOUPMENT} line corrects, and null otherwise.
 *   <li>{@code path} is the route of the money through the lineage: the model ids from {@code
 *       sourceModelId} to {@code modelId} ({@code [source]} for the earning model's own share,
 *       {@code [source, parent, …, ancestor]} for an upstream hop), so that an ancestor reached by
 *       two routes (a lineage diamond) gets one line per route. It is empty on a top-up and a
 *       recoupment, which are not cascaded, and on lines stored before routes were recorded.
 *   <li>A top-up and a recoupment have no customer type; a recoupment is the only negative kind.
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
        YearMonth adjustsPeriod,
        List<String> path) {

    /**
     * The statement's deterministic order: platform, currency, maker, model (nulls first), kind,
     * source model, customer type, agreement, adjusted period, path. Within one period it
     * identifies a line uniquely.
     */
    public static final Comparator<StatementLine> ORDER = StatementLine::compareInOrder;

    public StatementLine {
        NonNull.check(
                "period makerId platformId agreementId", period, makerId, platformId, agreementId);
        NonNull.check(
                "kind basis exactAmount amount currency",
                kind,
                basis,
                exactAmount,
                amount,
                currency);
        path = List.copyOf(path);
        boolean guarantee = isGuarantee(kind);
        if (guarantee != (customerType == null)
                || (!guarantee && (modelId == null || sourceModelId == null))) {
            throw new IllegalArgumentException(
                    "only a top-up or recoupment line has no customer type, and only they may have"
                            + " no model: "
                            + kind);
        }
        if ((guarantee && !path.isEmpty())
                || (!path.isEmpty()
                        && !(path.get(0).equals(sourceModelId)
                                && path.get(path.size() - 1).equals(modelId)))) {
            throw new IllegalArgumentException(
                    "the path of a "
                            + kind
                            + " line must lead from "
                            + sourceModelId
                            + " to "
                            + modelId
                            + " (and be empty on a top-up or recoupment): "
                            + path);
        }
        boolean adjusting =
                kind == LineKind.LATE_ADJUSTMENT || kind == LineKind.GUARANTEE_RECOUPMENT;
        // a top-up may adjust a closed period too: one that a dispute's withdrawal lifted again
        boolean mayAdjust = adjusting || kind == LineKind.MINIMUM_GUARANTEE_TOPUP;
        if (adjusting && adjustsPeriod == null || !mayAdjust && adjustsPeriod != null) {
            throw new IllegalArgumentException(
                    "adjustsPeriod is required on a late adjustment or recoupment, allowed on a"
                            + " top-up, and refused on a royalty");
        }
        if (!adjusting && exactAmount.signum() < 0) {
            throw new IllegalArgumentException(
                    "only a late adjustment or a recoupment may be negative: "
                            + kind
                            + " "
                            + exactAmount);
        }
    }

    /** Whether lines of this kind are about an agreement's guarantee (not cascaded, no route). */
    static boolean isGuarantee(LineKind kind) {
        return kind == LineKind.MINIMUM_GUARANTEE_TOPUP || kind == LineKind.GUARANTEE_RECOUPMENT;
    }

    /**
     * {@link #ORDER}, written out: a close sorts tens of thousands of lines, and this is much
     * faster than the equivalent chain of {@code Comparator.comparing}.
     */
    private static int compareInOrder(StatementLine a, StatementLine b) {
        // the first field that differs decides
        int c;
        if ((c = a.platformId.compareTo(b.platformId)) != 0
                || (c = a.currency.compareTo(b.currency)) != 0
                || (c = a.makerId.compareTo(b.makerId)) != 0
                || (c = nullsFirst(a.modelId, b.modelId)) != 0
                || (c = a.kind.compareTo(b.kind)) != 0
                || (c = nullsFirst(a.sourceModelId, b.sourceModelId)) != 0
                || (c = nullsFirst(a.customerType, b.customerType)) != 0
                || (c = a.agreementId.compareTo(b.agreementId)) != 0
                || (c = nullsFirst(a.adjustsPeriod, b.adjustsPeriod)) != 0) {
            return c;
        }
        return comparePaths(a.path, b.path);
    }

    /** Paths element by element, a shorter path first when it is a prefix of the other. */
    private static int comparePaths(List<String> a, List<String> b) {
        if (a == b) {
            return 0;
        }
        int n = Math.min(a.size(), b.size());
        for (int i = 0; i < n; i++) {
            int c = a.get(i).compareTo(b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }

    /**
     * The line's identity within its statement as one string (every field of {@link #ORDER}, in
     * that order): what rounding ties are broken by.
     */
    String key() {
        StringBuilder key = new StringBuilder(128);
        key.append(platformId)
                .append('\u0000')
                .append(currency)
                .append('\u0000')
                .append(makerId)
                .append('\u0000')
                .append(modelId)
                .append('\u0000')
                .append(kind)
                .append('\u0000')
                .append(sourceModelId)
                .append('\u0000')
                .append(customerType)
                .append('\u0000')
                .append(agreementId)
                .append('\u0000')
                .append(adjustsPeriod);
        for (String model : path) {
            key.append('\u0000').append(model);
        }
        return key.toString();
    }

    private static <T extends Comparable<? super T>> int nullsFirst(T a, T b) {
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : -1) : 1;
        }
        return a.compareTo(b);
    }

    /** This line with the other line's (same identity) basis and amounts added. */
    StatementLine plus(StatementLine other) {
        return withFigures(
                basis.add(other.basis),
                exactAmount.add(other.exactAmount),
                amount.add(other.amount));
    }

    /** This line with its rounded amount. */
    StatementLine withAmount(BigDecimal rounded) {
        return withFigures(basis, exactAmount, rounded);
    }

    /** This line (the same identity) with other figures. */
    private StatementLine withFigures(BigDecimal basis, BigDecimal exactAmount, BigDecimal amount) {
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
                amount,
                currency,
                adjustsPeriod,
                path);
    }
}
