package dev.fairshare.settlement.engine;

import static dev.fairshare.settlement.engine.Fixtures.NOVEMBER;
import static dev.fairshare.settlement.engine.Fixtures.OCTOBER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fairshare.settlement.engine.Worlds.World;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The rules of DESIGN.md "Agreements and money", checked over random agreements, lineage and usage.
 */
class SettlementPropertiesTest {

    private static final Predicate<StatementLine> ROYALTY =
            line -> line.kind() == LineKind.ROYALTY || line.kind() == LineKind.UPSTREAM_ROYALTY;

    private static final Predicate<StatementLine> LATE =
            line -> line.kind() == LineKind.LATE_ADJUSTMENT;

    private static final Predicate<StatementLine> RECOUPMENT =
            line -> line.kind() == LineKind.GUARANTEE_RECOUPMENT;

    @Provide
    Arbitrary<World> worlds() {
        return Worlds.worlds();
    }

    @Property(tries = 200)
    void everyInvoiceSumsToItsRoundedExactTotal(@ForAll("worlds") World world) {
        Map<String, List<StatementLine>> invoices =
                settleNovember(world).stream()
                        .collect(Collectors.groupingBy(l -> l.platformId() + "/" + l.currency()));

        invoices.forEach(
                (invoice, lines) -> {
                    int digits = Rounding.fractionDigits(lines.get(0).currency());
                    BigDecimal exactTotal = sum(lines, StatementLine::exactAmount);
                    assertThat(sum(lines, StatementLine::amount))
                            .as(invoice)
                            .isEqualByComparingTo(
                                    exactTotal.setScale(digits, RoundingMode.HALF_EVEN));
                    assertThat(lines).allSatisfy(line -> assertRoundedToMinorUnit(line, digits));
                });
    }

    @Property(tries = 200)
    void payoutsEqualInvoicesInEveryCurrency(@ForAll("worlds") World world) {
        List<StatementLine> lines = settleNovember(world);

        assertThat(perCurrency(SettlementEngine.payouts(lines)))
                .isEqualTo(perCurrency(SettlementEngine.invoices(lines)));
    }

    @Property(tries = 200)
    void noLineButARecoupmentIsNegative(@ForAll("worlds") World world) {
        List<StatementLine> lines = new ArrayList<>(settleNovember(world));
        lines.addAll(exactLines(OCTOBER, world.octoberSettled(), world, world.models()));

        assertThat(lines)
                .filteredOn(RECOUPMENT.negate())
                .allSatisfy(SettlementPropertiesTest::assertNotNegative);
        assertThat(lines)
                .filteredOn(RECOUPMENT)
                .allSatisfy(line -> assertThat(line.exactAmount().signum()).isNegative());
    }

    /**
     * DESIGN.md rule 7: a forced early close of October followed by the rest of its usage arriving
     * late costs what closing October on time would have, per maker, platform and currency, to the
     * exact amount: the late royalties are paid and the top-ups paid early are recouped, never
     * below zero. (Rounded totals can differ by the rounding of the two invoices instead of one.)
     * Per-unit terms allocate a marginal price to the late volume's models, so with per-unit terms
     * the lineage is left out, which would otherwise pass different shares of it upstream.
     */
    @Property(tries = 300)
    void closingEarlyAndSettlingTheRestLateCostsWhatClosingOnTimeWould(
            @ForAll("worlds") World world) {
        Map<String, ModelInfo> models =
                world.agreements().stream().anyMatch(a -> a.terms() instanceof PerUnit)
                        ? withoutLineage(world.models())
                        : world.models();
        List<StatementLine> early =
                SettlementEngine.settle(
                        OCTOBER, world.octoberSettled(), List.of(), world.agreements(), models);
        LateUsage rest =
                new LateUsage(
                        OCTOBER,
                        world.octoberSettled(),
                        world.octoberLate(),
                        SettlementEngine.topUpsOutstanding(OCTOBER, early));
        List<StatementLine> adjustments =
                SettlementEngine.settle(
                                NOVEMBER, List.of(), List.of(rest), world.agreements(), models)
                        .stream()
                        .filter(line -> OCTOBER.equals(line.adjustsPeriod()))
                        .toList();
        List<UsageRow> all =
                Stream.concat(world.octoberSettled().stream(), world.octoberLate().stream())
                        .toList();
        List<StatementLine> onTime =
                SettlementEngine.settle(OCTOBER, all, List.of(), world.agreements(), models);

        List<StatementLine> earlyAndLate = new ArrayList<>(early);
        earlyAndLate.addAll(adjustments);
        Predicate<StatementLine> any = line -> true;
        Function<StatementLine, String> party =
                line -> line.makerId() + "/" + line.platformId() + "/" + line.currency();
        assertThat(withoutZeros(totals(earlyAndLate, any, party)))
                .isEqualTo(withoutZeros(totals(onTime, any, party)));
        assertThat(adjustments)
                .filteredOn(RECOUPMENT)
                .allSatisfy(
                        recoupment ->
                                assertThat(recoupment.exactAmount().negate())
                                        .isLessThanOrEqualTo(
                                                SettlementEngine.topUpsOutstanding(OCTOBER, early)
                                                        .get(recoupment.agreementId())));
    }

    private static Map<String, BigDecimal> withoutZeros(Map<String, BigDecimal> totals) {
        Map<String, BigDecimal> out = new TreeMap<>(totals);
        out.values().removeIf(amount -> amount.signum() == 0);
        return out;
    }

    @Property(tries = 200)
    void theCascadeConservesEachRoyaltyExactly(@ForAll("worlds") World world) {
        List<StatementLine> flat =
                exactLines(NOVEMBER, world.november(), world, withoutLineage(world.models()));
        List<StatementLine> cascaded =
                exactLines(NOVEMBER, world.november(), world, world.models());

        assertThat(totals(cascaded, ROYALTY, SettlementPropertiesTest::earning))
                .isEqualTo(totals(flat, ROYALTY, SettlementPropertiesTest::earning));
        assertThat(cascaded.stream().filter(ROYALTY.negate()).toList())
                .isEqualTo(flat.stream().filter(ROYALTY.negate()).toList());
    }

    @Property(tries = 200)
    void settlingIsDeterministicWhateverTheInputOrder(
            @ForAll("worlds") World world, @ForAll Random random) {
        List<StatementLine> first = settleNovember(world);
        LateUsage late =
                new LateUsage(
                        OCTOBER,
                        shuffled(world.octoberSettled(), random),
                        shuffled(world.octoberLate(), random),
                        SettlementEngine.topUpsOutstanding(OCTOBER, settleOctober(world)));

        List<StatementLine> shuffled =
                SettlementEngine.settle(
                        NOVEMBER,
                        shuffled(world.november(), random),
                        List.of(late),
                        shuffled(world.agreements(), random),
                        new HashMap<>(world.models()));

        assertThat(settleNovember(world)).isEqualTo(first);
        assertThat(shuffled).isEqualTo(first);
    }

    @Property(tries = 200)
    void settlingPlatformByPlatformInParallelGivesTheSameStatement(@ForAll("worlds") World world) {
        LateUsage late =
                new LateUsage(
                        OCTOBER,
                        world.octoberSettled(),
                        world.octoberLate(),
                        SettlementEngine.topUpsOutstanding(OCTOBER, settleOctober(world)));
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            assertThat(
                            SettlementEngine.settle(
                                    NOVEMBER,
                                    world.november(),
                                    List.of(late),
                                    world.agreements(),
                                    world.models(),
                                    pool))
                    .isEqualTo(settleNovember(world));
            assertThat(
                            SettlementEngine.settle(
                                    OCTOBER,
                                    world.octoberSettled(),
                                    List.of(),
                                    world.agreements(),
                                    world.models(),
                                    pool))
                    .isEqualTo(settleOctober(world));
        } finally {
            pool.shutdownNow();
        }
    }

    @Property(tries = 200)
    void lateUsageNeverChangesAClosedPeriodAndOnlyAddsPositiveLinesButRecoupments(
            @ForAll("worlds") World world) {
        List<StatementLine> closed = settleOctober(world);

        List<StatementLine> lines = settleNovember(world);

        assertThat(settleOctober(world)).isEqualTo(closed);
        assertThat(
                        lines.stream()
                                .filter(LATE.negate().and(RECOUPMENT.negate()))
                                .map(l -> l.withAmount(l.exactAmount())))
                .containsExactlyElementsOf(
                        exactLines(NOVEMBER, world.november(), world, world.models()));
        assertThat(lines)
                .filteredOn(LATE)
                .allSatisfy(
                        line -> {
                            assertThat(line.adjustsPeriod()).isEqualTo(OCTOBER);
                            assertThat(line.exactAmount().signum()).isPositive();
                        });
    }

    @Property(tries = 200)
    void lateAdjustmentsPayTheMarginalRoyaltyOfEachAgreement(@ForAll("worlds") World world) {
        List<UsageRow> all =
                Stream.concat(world.octoberSettled().stream(), world.octoberLate().stream())
                        .toList();
        Map<String, BigDecimal> withLate =
                totals(exactLines(OCTOBER, all, world, world.models()), ROYALTY, agreementId());
        Map<String, BigDecimal> settled =
                totals(
                        exactLines(OCTOBER, world.octoberSettled(), world, world.models()),
                        ROYALTY,
                        agreementId());

        Map<String, BigDecimal> marginal = new TreeMap<>();
        withLate.forEach(
                (agreement, total) -> {
                    BigDecimal before = settled.getOrDefault(agreement, BigDecimal.ZERO);
                    BigDecimal difference = total.subtract(before);
                    if (difference.signum() != 0) {
                        marginal.put(agreement, difference.stripTrailingZeros());
                    }
                });
        assertThat(totals(settleNovember(world), LATE, agreementId())).isEqualTo(marginal);
    }

    /** November, with October's late usage after October's close ({@link #settleOctober}). */
    private static List<StatementLine> settleNovember(World world) {
        LateUsage late =
                new LateUsage(
                        OCTOBER,
                        world.octoberSettled(),
                        world.octoberLate(),
                        SettlementEngine.topUpsOutstanding(OCTOBER, settleOctober(world)));
        return SettlementEngine.settle(
                NOVEMBER, world.november(), List.of(late), world.agreements(), world.models());
    }

    private static List<StatementLine> settleOctober(World world) {
        return SettlementEngine.settle(
                OCTOBER, world.octoberSettled(), List.of(), world.agreements(), world.models());
    }

    private static List<StatementLine> exactLines(
            YearMonth period, List<UsageRow> usage, World world, Map<String, ModelInfo> models) {
        return SettlementEngine.exactLines(period, usage, world.agreements(), models);
    }

    private static Map<String, ModelInfo> withoutLineage(Map<String, ModelInfo> models) {
        Map<String, ModelInfo> flat = new TreeMap<>();
        models.forEach(
                (id, m) ->
                        flat.put(id, new ModelInfo(id, m.makerId(), m.commercialUse(), List.of())));
        return flat;
    }

    private static void assertRoundedToMinorUnit(StatementLine line, int digits) {
        assertThat(line.amount().scale()).isEqualTo(digits);
        assertThat(line.amount().subtract(line.exactAmount()).abs())
                .isLessThan(BigDecimal.ONE.movePointLeft(digits));
    }

    private static void assertNotNegative(StatementLine line) {
        assertThat(line.basis().signum()).isNotNegative();
        assertThat(line.exactAmount().signum()).isNotNegative();
        assertThat(line.amount().signum()).isNotNegative();
    }

    /** The royalty a cascade splits: one agreement, earning model and customer type. */
    private static String earning(StatementLine line) {
        return line.agreementId() + "/" + line.sourceModelId() + "/" + line.customerType();
    }

    private static Function<StatementLine, String> agreementId() {
        return StatementLine::agreementId;
    }

    /** Exact totals of the matching lines per key, trailing zeros stripped to compare by value. */
    private static Map<String, BigDecimal> totals(
            List<StatementLine> lines,
            Predicate<StatementLine> filter,
            Function<StatementLine, String> key) {
        Map<String, BigDecimal> totals = new TreeMap<>();
        lines.stream()
                .filter(filter)
                .forEach(
                        line -> totals.merge(key.apply(line), line.exactAmount(), BigDecimal::add));
        totals.replaceAll((k, total) -> total.stripTrailingZeros());
        return totals;
    }

    private static Map<String, BigDecimal> perCurrency(
            Map<String, Map<String, BigDecimal>> parties) {
        Map<String, BigDecimal> totals = new TreeMap<>();
        parties.values()
                .forEach(amounts -> amounts.forEach((c, a) -> totals.merge(c, a, BigDecimal::add)));
        return totals;
    }

    private static BigDecimal sum(
            List<StatementLine> lines, Function<StatementLine, BigDecimal> amount) {
        return lines.stream().map(amount).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    private static <T> List<T> shuffled(List<T> list, Random random) {
        List<T> copy = new ArrayList<>(list);
        Collections.shuffle(copy, random);
        return copy;
    }
}
