package dev.fairshare.settlement.engine;

import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Settles one period: rates the usage under the agreements in force, cascades every royalty along
 * the model lineage, tops up minimum guarantees, adds late adjustments for closed periods, and
 * rounds.
 *
 * <ol>
 *   <li><b>Rating.</b> Each usage row is rated by the agreement in force on its day (see {@link
 *       Agreement}); a revenue share rates revenue in its own currency only, per-unit terms price
 *       the agreement's whole volume of the period through graduated tiers and allocate the price
 *       to its models and customer types in proportion to their volume. The result is a royalty
 *       {@code R} per agreement, model and customer type.
 *   <li><b>Lineage cascade.</b> Each parent of the model receives {@code share × R} as an {@code
 *       UPSTREAM_ROYALTY} line, recursively up the tree; the model's maker keeps the rest as a
 *       {@code ROYALTY} line. The lines of one cascade sum exactly to {@code R}.
 *   <li><b>Minimum guarantee.</b> When an agreement's total {@code R} in the period is below its
 *       guarantee pro-rated by its days in force, the maker gets a {@code MINIMUM_GUARANTEE_TOPUP}
 *       of the difference, with no usage at all too. Top-ups are not cascaded.
 *   <li><b>Late usage.</b> Usage that arrived for a closed period (or that an agreement recorded
 *       after the close newly covers) is rated with that period's agreements and tier position: it
 *       pays the marginal amount {@code rate(settled + late) − rate(settled)}, allocated to the
 *       late usage's models and customer types in proportion to their late volume (or, for a
 *       revenue share, {@code rate × late revenue}), and cascaded as usual. Each resulting hop
 *       becomes a {@code LATE_ADJUSTMENT} line of the current period with {@code adjustsPeriod}
 *       set, the earning model as {@code sourceModelId} and its route as {@code path}; zero
 *       adjustments are omitted. Late usage taken back by a dispute correction (negative sums)
 *       gives negative adjustments: {@code rate(settled + late) − rate(settled)} is then below
 *       zero.
 *   <li><b>Guarantee recoupment.</b> A late adjustment changes what the platform owes for the
 *       closed period by {@code max(G, R_old + R_late) − max(G, R_old)}: the late royalty {@code
 *       R_late} of an agreement is paid in full (above), and the top-up still outstanding for that
 *       period ({@link LateUsage#topUpsOutstanding}, which is {@code max(0, G − R_old)}) is
 *       recouped by a negative {@code GUARANTEE_RECOUPMENT} line of {@code −min(R_late,
 *       outstanding)} for the agreement's maker, so a top-up is never recouped below zero, however
 *       many late batches follow. The hops to ancestors stay paid, so the agreement's maker's net
 *       for the period may be negative. A late royalty below zero (a dispute correction taking
 *       usage back) lifts the top-up again, by {@code max(0, G − R_old − R_late) − max(0, G −
 *       R_old)}, as a {@code MINIMUM_GUARANTEE_TOPUP} line with {@code adjustsPeriod}.
 *   <li><b>Revenue pools.</b> A subscription platform's declared pool is split among the models of
 *       its pooled usage ({@link Pools}); a model's part under a {@code POOL_SHARE} agreement is a
 *       royalty like any other ({@code POOL_ROYALTY}, cascaded, towards the guarantee), and late
 *       pooled usage re-runs a closed period's pool and settles each model's difference.
 *   <li><b>Rounding.</b> Lines with the same identity are merged; each invoice (platform and
 *       currency) is then rounded as a whole by {@link Rounding#largestRemainder} in {@link
 *       StatementLine#ORDER}, ties between equal remainders broken by a hash of the period and the
 *       line's identity ({@link StatementLine#key}), so no line wins every tie.
 * </ol>
 *
 * The same inputs always give the same lines in the same order, whatever the order of the input
 * lists and maps. Unknown models (in usage or as parents) and lineage cycles are errors, never
 * skipped.
 */
public final class SettlementEngine {

    private SettlementEngine() {}

    /**
     * The full rounded statement of {@code period}: its own usage, plus a late adjustment for each
     * of the {@code late} closed periods (each strictly before {@code period}).
     */
    public static List<StatementLine> settle(
            YearMonth period,
            List<UsageRow> usage,
            List<LateUsage> late,
            Collection<Agreement> agreements,
            Map<String, ModelInfo> models) {
        return settle(period, usage, late, List.of(), List.of(), agreements, models);
    }

    /**
     * The full rounded statement of {@code period} with its revenue pools: {@code pools} are the
     * period's own (see {@link Pools}), {@code latePools} those of closed periods that late pooled
     * usage re-runs. Pool lines are rounded with the rest of their platform's invoice.
     */
    public static List<StatementLine> settle(
            YearMonth period,
            List<UsageRow> usage,
            List<LateUsage> late,
            List<PoolPeriod> pools,
            List<LatePool> latePools,
            Collection<Agreement> agreements,
            Map<String, ModelInfo> models) {
        List<StatementLine> lines = new ArrayList<>(exactLines(period, usage, agreements, models));
        for (LateUsage lateUsage : late) {
            lines.addAll(lateLines(period, lateUsage, agreements, models));
        }
        lines.addAll(Pools.lines(period, pools, agreements, models));
        for (LatePool latePool : latePools) {
            lines.addAll(Pools.lateLines(period, latePool, agreements, models));
        }
        return round(merge(lines));
    }

    /**
     * The same statement as {@link #settle(YearMonth, List, List, Collection, Map)}, computed a
     * platform at a time on {@code executor}. Every line belongs to the platform whose usage or
     * agreement made it (an agreement binds one platform; a cascade and a late adjustment stay on
     * the platform of their usage), and merging, invoices and {@link StatementLine#ORDER} all start
     * with the platform: the platforms' statements laid end to end in platform order are the
     * statement, line for line.
     */
    public static List<StatementLine> settle(
            YearMonth period,
            List<UsageRow> usage,
            List<LateUsage> late,
            Collection<Agreement> agreements,
            Map<String, ModelInfo> models,
            Executor executor) {
        return settle(period, usage, late, Pooling.NONE, agreements, models, executor);
    }

    /**
     * {@link #settle(YearMonth, List, List, List, List, Collection, Map)} with the pools of {@code
     * pooling}, a platform at a time on {@code executor} (a pool belongs to one platform).
     */
    public static List<StatementLine> settle(
            YearMonth period,
            List<UsageRow> usage,
            List<LateUsage> late,
            Pooling pooling,
            Collection<Agreement> agreements,
            Map<String, ModelInfo> models,
            Executor executor) {
        ByPlatform inputs = new ByPlatform(usage, late, pooling, agreements);
        List<CompletableFuture<List<StatementLine>>> parts = new ArrayList<>();
        for (String platform : inputs.platforms()) {
            parts.add(
                    CompletableFuture.supplyAsync(
                            inputs.statement(period, platform, models), executor));
        }
        return joined(parts);
    }

    /**
     * A statement's inputs split by platform: its usage, each closed period's settled and late
     * usage, its pools and late pools, and its agreements.
     */
    private static final class ByPlatform {
        private final Map<String, List<PoolPeriod>> pools;
        private final Map<String, List<LatePool>> latePools;
        private final Map<String, List<UsageRow>> usage;
        private final Map<String, List<Agreement>> agreements;
        private final List<LateUsage> late;
        private final List<Map<String, List<UsageRow>>> settledOf = new ArrayList<>();
        private final List<Map<String, List<UsageRow>>> lateOf = new ArrayList<>();

        ByPlatform(
                List<UsageRow> usage,
                List<LateUsage> late,
                Pooling pooling,
                Collection<Agreement> agreements) {
            this.pools = byPlatform(pooling.own(), p -> p.pool().platformId());
            this.latePools = byPlatform(pooling.late(), p -> p.pool().platformId());
            this.usage = byPlatform(usage, UsageRow::platformId);
            this.agreements = byPlatform(agreements, Agreement::platformId);
            this.late = late;
            for (LateUsage l : late) {
                settledOf.add(byPlatform(l.settled(), UsageRow::platformId));
                lateOf.add(byPlatform(l.late(), UsageRow::platformId));
            }
        }

        /** Every platform with usage, an agreement, a pool or late usage, in order. */
        Set<String> platforms() {
            Set<String> platforms = new TreeSet<>(usage.keySet());
            platforms.addAll(agreements.keySet());
            platforms.addAll(pools.keySet());
            platforms.addAll(latePools.keySet());
            for (int i = 0; i < late.size(); i++) {
                platforms.addAll(settledOf.get(i).keySet());
                platforms.addAll(lateOf.get(i).keySet());
            }
            return platforms;
        }

        /** The statement of {@code platform}, from its part of every input (taken now). */
        Supplier<List<StatementLine>> statement(
                YearMonth period, String platform, Map<String, ModelInfo> models) {
            List<LateUsage> lateHere = late(platform);
            List<UsageRow> usageHere = usage.getOrDefault(platform, List.of());
            List<Agreement> agreementsHere = agreements.getOrDefault(platform, List.of());
            List<PoolPeriod> poolsHere = pools.getOrDefault(platform, List.of());
            List<LatePool> latePoolsHere = latePools.getOrDefault(platform, List.of());
            return () ->
                    settle(
                            period,
                            usageHere,
                            lateHere,
                            poolsHere,
                            latePoolsHere,
                            agreementsHere,
                            models);
        }

        /** Each closed period's late usage, narrowed to the rows of {@code platform}. */
        private List<LateUsage> late(String platform) {
            List<LateUsage> lateHere = new ArrayList<>(late.size());
            for (int i = 0; i < late.size(); i++) {
                lateHere.add(
                        new LateUsage(
                                late.get(i).originalPeriod(),
                                settledOf.get(i).getOrDefault(platform, List.of()),
                                lateOf.get(i).getOrDefault(platform, List.of()),
                                late.get(i).topUpsOutstanding()));
            }
            return lateHere;
        }
    }

    /** The platforms' statements laid end to end; a platform's failure is thrown as it was. */
    private static List<StatementLine> joined(List<CompletableFuture<List<StatementLine>>> parts) {
        List<StatementLine> lines = new ArrayList<>();
        for (CompletableFuture<List<StatementLine>> part : parts) {
            try {
                lines.addAll(part.join());
            } catch (CompletionException e) {
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                if (e.getCause() instanceof Error err) {
                    throw err;
                }
                throw e;
            }
        }
        return lines;
    }

    /** {@code items} by the platform of each, platforms in order, each list in input order. */
    private static <T> Map<String, List<T>> byPlatform(
            Collection<T> items, Function<T, String> platform) {
        Map<String, List<T>> out = new TreeMap<>();
        for (T item : items) {
            out.computeIfAbsent(platform.apply(item), p -> new ArrayList<>()).add(item);
        }
        return out;
    }

    /**
     * The unrounded lines of {@code period}'s own usage and top-ups ({@code amount ==
     * exactAmount}), in statement order. Every row of {@code usage} must lie in {@code period}.
     */
    public static List<StatementLine> exactLines(
            YearMonth period,
            List<UsageRow> usage,
            Collection<Agreement> agreements,
            Map<String, ModelInfo> models) {
        AgreementBook book = new AgreementBook(period, agreements, models);
        LineageCascade cascade = new LineageCascade(models);
        Map<Agreement, List<UsageRow>> rated = book.ratedRows(usage);
        List<StatementLine> lines = new ArrayList<>();
        for (Agreement agreement : book.inForce()) {
            List<UsageRow> rows = rated.getOrDefault(agreement, List.of());
            BigDecimal royalty = BigDecimal.ZERO;
            for (RatedGroup group : RatedGroup.rate(agreement, BigDecimal.ZERO, rows)) {
                royalty = royalty.add(group.royalty());
                for (LineageCascade.Share share : cascade.split(group)) {
                    LineKind kind = share.upstream() ? LineKind.UPSTREAM_ROYALTY : LineKind.ROYALTY;
                    lines.add(line(period, group, share, kind, null));
                }
            }
            topUp(period, agreement, royalty).ifPresent(lines::add);
        }
        return merge(lines);
    }

    /**
     * The minimum-guarantee top-up of each agreement that is still paid for {@code period}, by
     * agreement id: the exact amounts of its {@code MINIMUM_GUARANTEE_TOPUP} line in {@code
     * period}'s statement and of the top-ups that later statements restored for {@code period} (a
     * dispute taking usage back), plus its {@code GUARANTEE_RECOUPMENT} lines that adjust {@code
     * period} (negative), never below zero. {@code lines} may hold any statements' lines; the
     * others are ignored.
     */
    public static Map<String, BigDecimal> topUpsOutstanding(
            YearMonth period, Iterable<StatementLine> lines) {
        Map<String, BigDecimal> outstanding = new TreeMap<>();
        for (StatementLine line : lines) {
            boolean topUp =
                    line.kind() == LineKind.MINIMUM_GUARANTEE_TOPUP
                            && (line.adjustsPeriod() == null
                                    ? line.period().equals(period)
                                    : line.adjustsPeriod().equals(period));
            boolean recouped =
                    line.kind() == LineKind.GUARANTEE_RECOUPMENT
                            && period.equals(line.adjustsPeriod());
            if (topUp || recouped) {
                outstanding.merge(line.agreementId(), line.exactAmount(), BigDecimal::add);
            }
        }
        outstanding.replaceAll((agreement, amount) -> amount.max(BigDecimal.ZERO));
        return outstanding;
    }

    /** Total rounded amount per maker and currency. */
    public static Map<String, Map<String, BigDecimal>> payouts(List<StatementLine> lines) {
        return totals(lines, StatementLine::makerId);
    }

    /** Total rounded amount per platform and currency. */
    public static Map<String, Map<String, BigDecimal>> invoices(List<StatementLine> lines) {
        return totals(lines, StatementLine::platformId);
    }

    private static List<StatementLine> lateLines(
            YearMonth period,
            LateUsage lateUsage,
            Collection<Agreement> agreements,
            Map<String, ModelInfo> models) {
        YearMonth original = lateUsage.originalPeriod();
        requireEarlier(original, period);
        AgreementBook book = new AgreementBook(original, agreements, models);
        LineageCascade cascade = new LineageCascade(models);
        Map<Agreement, List<UsageRow>> settled = book.ratedRows(lateUsage.settled());
        List<StatementLine> lines = new ArrayList<>();
        for (Map.Entry<Agreement, List<UsageRow>> late :
                book.ratedRows(lateUsage.late()).entrySet()) {
            Agreement agreement = late.getKey();
            List<UsageRow> settledRows = settled.getOrDefault(agreement, List.of());
            BigDecimal lateRoyalty = BigDecimal.ZERO;
            for (RatedGroup group :
                    RatedGroup.rate(agreement, basis(agreement, settledRows), late.getValue())) {
                lateRoyalty = lateRoyalty.add(group.royalty());
                addLateAdjustments(lines, period, original, cascade, group);
            }
            BigDecimal royaltyBefore =
                    lateRoyalty.signum() < 0 && agreement.minimumGuarantee() != null
                            ? royalty(agreement, settledRows)
                            : BigDecimal.ZERO;
            adjustGuarantee(
                    lines,
                    period,
                    original,
                    agreement,
                    royaltyBefore,
                    lateRoyalty,
                    lateUsage.topUpsOutstanding().getOrDefault(agreement.id(), BigDecimal.ZERO));
        }
        return lines;
    }

    /** Refuses late usage of {@code original} unless it is a period before {@code period}. */
    static void requireEarlier(YearMonth original, YearMonth period) {
        if (!original.isBefore(period)) {
            throw new IllegalArgumentException(
                    "late usage for " + original + " must be for a period before " + period);
        }
    }

    /** The basis (revenue or volume) of {@code rows} under {@code agreement}. */
    private static BigDecimal basis(Agreement agreement, List<UsageRow> rows) {
        BigDecimal basis = BigDecimal.ZERO;
        for (UsageRow row : rows) {
            basis = basis.add(agreement.terms().basis(row));
        }
        return basis;
    }

    /** The royalty of {@code rows} rated under {@code agreement} from the start of the period. */
    private static BigDecimal royalty(Agreement agreement, List<UsageRow> rows) {
        BigDecimal royalty = BigDecimal.ZERO;
        for (RatedGroup group : RatedGroup.rate(agreement, BigDecimal.ZERO, rows)) {
            royalty = royalty.add(group.royalty());
        }
        return royalty;
    }

    /**
     * The {@code LATE_ADJUSTMENT} lines of a late royalty {@code group} for the closed period
     * {@code original}, one per hop of its cascade, added to {@code lines}; zero hops are omitted.
     */
    static void addLateAdjustments(
            List<StatementLine> lines,
            YearMonth period,
            YearMonth original,
            LineageCascade cascade,
            RatedGroup group) {
        for (LineageCascade.Share share : cascade.split(group)) {
            if (share.amount().signum() != 0) {
                lines.add(line(period, group, share, LineKind.LATE_ADJUSTMENT, original));
            }
        }
    }

    /**
     * The guarantee lines of a late royalty {@code lateRoyalty} of {@code agreement} for the closed
     * period {@code original}, added to {@code lines}: a late royalty below zero lifts the top-up
     * again ({@link #restoredTopUp}; {@code royaltyBefore} is the royalty already rated for the
     * period, needed only then), and a positive one recoups the top-up still {@code outstanding},
     * never below zero (DESIGN rule 7).
     */
    static void adjustGuarantee(
            List<StatementLine> lines,
            YearMonth period,
            YearMonth original,
            Agreement agreement,
            BigDecimal royaltyBefore,
            BigDecimal lateRoyalty,
            BigDecimal outstanding) {
        if (lateRoyalty.signum() < 0 && agreement.minimumGuarantee() != null) {
            restoredTopUp(period, original, agreement, royaltyBefore, lateRoyalty)
                    .ifPresent(lines::add);
        }
        BigDecimal recouped = lateRoyalty.min(outstanding);
        if (recouped.signum() > 0) {
            lines.add(
                    guaranteeLine(
                            period,
                            agreement,
                            LineKind.GUARANTEE_RECOUPMENT,
                            outstanding,
                            recouped.negate(),
                            original));
        }
    }

    static StatementLine line(
            YearMonth period,
            RatedGroup group,
            LineageCascade.Share share,
            LineKind kind,
            YearMonth adjustsPeriod) {
        Agreement agreement = group.agreement();
        return new StatementLine(
                period,
                share.makerId(),
                agreement.platformId(),
                share.modelId(),
                agreement.id(),
                kind,
                group.modelId(),
                group.customerType(),
                share.basis(),
                share.amount(),
                share.amount(), // unrounded: rounding the statement sets the amount
                agreement.currency(),
                adjustsPeriod,
                share.path());
    }

    /**
     * What a late royalty below zero (a dispute taking usage back) adds to the closed period's
     * top-up: {@code max(0, G − R_old − R_late) − max(0, G − R_old)}, where {@code R_old} is the
     * royalty already rated for {@code original} under the agreement (its settled usage, close and
     * earlier late adjustments). Paid as a {@code MINIMUM_GUARANTEE_TOPUP} line of {@code period}
     * that adjusts {@code original}, so the platform owes {@code max(G, R_old + R_late) − max(G,
     * R_old)} in all (DESIGN rule 7).
     */
    private static Optional<StatementLine> restoredTopUp(
            YearMonth period,
            YearMonth original,
            Agreement agreement,
            BigDecimal royaltyBefore,
            BigDecimal lateRoyalty) {
        BigDecimal guaranteed = guaranteed(original, agreement);
        BigDecimal topUpBefore = guaranteed.subtract(royaltyBefore).max(BigDecimal.ZERO);
        BigDecimal topUpAfter =
                guaranteed.subtract(royaltyBefore.add(lateRoyalty)).max(BigDecimal.ZERO);
        BigDecimal restored = topUpAfter.subtract(topUpBefore);
        if (restored.signum() <= 0) {
            return Optional.empty();
        }
        return Optional.of(topUpLine(period, agreement, guaranteed, restored, original));
    }

    /** The agreement's guarantee for {@code period}, pro-rated by its days in force. */
    private static BigDecimal guaranteed(YearMonth period, Agreement agreement) {
        BigDecimal daysInForce = BigDecimal.valueOf(agreement.daysInForce(period));
        BigDecimal daysInPeriod = BigDecimal.valueOf(period.lengthOfMonth());
        return Decimals.divide(agreement.minimumGuarantee().multiply(daysInForce), daysInPeriod);
    }

    /**
     * The top-up that lifts the agreement's royalty to its guarantee pro-rated by its days in
     * force, if any.
     */
    static Optional<StatementLine> topUp(
            YearMonth period, Agreement agreement, BigDecimal royalty) {
        if (agreement.minimumGuarantee() == null) {
            return Optional.empty();
        }
        BigDecimal guaranteed = guaranteed(period, agreement);
        if (royalty.compareTo(guaranteed) >= 0) {
            return Optional.empty();
        }
        return Optional.of(
                topUpLine(period, agreement, guaranteed, guaranteed.subtract(royalty), null));
    }

    /**
     * A {@code MINIMUM_GUARANTEE_TOPUP} line of {@code amount} on the pro-rated guarantee {@code
     * guaranteed}, adjusting {@code adjustsPeriod} (null for the period's own top-up).
     */
    private static StatementLine topUpLine(
            YearMonth period,
            Agreement agreement,
            BigDecimal guaranteed,
            BigDecimal amount,
            YearMonth adjustsPeriod) {
        return guaranteeLine(
                period,
                agreement,
                LineKind.MINIMUM_GUARANTEE_TOPUP,
                guaranteed,
                amount,
                adjustsPeriod);
    }

    /**
     * A top-up (basis: the pro-rated guarantee) or a recoupment (basis: the top-up outstanding
     * before it) of the agreement's maker, for the agreement's model (none for an all-models
     * agreement), without customer type or route.
     */
    private static StatementLine guaranteeLine(
            YearMonth period,
            Agreement agreement,
            LineKind kind,
            BigDecimal basis,
            BigDecimal amount,
            YearMonth adjustsPeriod) {
        return new StatementLine(
                period,
                agreement.makerId(),
                agreement.platformId(),
                agreement.modelId(),
                agreement.id(),
                kind,
                agreement.modelId(),
                null,
                basis,
                amount,
                amount, // unrounded: rounding the statement sets the amount
                agreement.currency(),
                adjustsPeriod,
                List.of());
    }

    /**
     * Sorts the lines into statement order and merges lines of the same identity (lineage
     * diamonds).
     */
    private static List<StatementLine> merge(List<StatementLine> lines) {
        List<StatementLine> sorted = new ArrayList<>(lines);
        sorted.sort(StatementLine.ORDER);
        List<StatementLine> merged = new ArrayList<>(sorted.size());
        for (StatementLine line : sorted) {
            int last = merged.size() - 1;
            if (last >= 0 && StatementLine.ORDER.compare(merged.get(last), line) == 0) {
                merged.set(last, merged.get(last).plus(line));
            } else {
                merged.add(line);
            }
        }
        return merged;
    }

    /** Rounds each invoice (a run of sorted lines with one platform and currency) as a whole. */
    private static List<StatementLine> round(List<StatementLine> sorted) {
        List<StatementLine> rounded = new ArrayList<>(sorted.size());
        int start = 0;
        while (start < sorted.size()) {
            StatementLine first = sorted.get(start);
            int end = start;
            while (end < sorted.size()
                    && sorted.get(end).platformId().equals(first.platformId())
                    && sorted.get(end).currency().equals(first.currency())) {
                end++;
            }
            List<StatementLine> invoice = sorted.subList(start, end);
            String period = first.period().toString();
            List<BigDecimal> amounts =
                    Rounding.largestRemainder(
                            invoice.stream().map(StatementLine::exactAmount).toList(),
                            first.currency(),
                            i -> period + '\u0000' + invoice.get(i).key());
            for (int i = 0; i < invoice.size(); i++) {
                rounded.add(invoice.get(i).withAmount(amounts.get(i)));
            }
            start = end;
        }
        return List.copyOf(rounded);
    }

    private static Map<String, Map<String, BigDecimal>> totals(
            List<StatementLine> lines, Function<StatementLine, String> party) {
        Map<String, Map<String, BigDecimal>> totals = new TreeMap<>();
        for (StatementLine line : lines) {
            totals.computeIfAbsent(party.apply(line), p -> new TreeMap<>())
                    .merge(line.currency(), line.amount(), BigDecimal::add);
        }
        return totals;
    }
}
