package dev.fairshare.settlement.engine;

import static dev.fairshare.settlement.engine.CustomerType.COMMERCIAL;
import static dev.fairshare.settlement.engine.Fixtures.NOVEMBER;
import static dev.fairshare.settlement.engine.Fixtures.OCTOBER;
import static dev.fairshare.settlement.engine.Fixtures.d;
import static dev.fairshare.settlement.engine.Fixtures.model;
import static dev.fairshare.settlement.engine.Fixtures.models;
import static dev.fairshare.settlement.engine.Fixtures.revenue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * DESIGN.md rule 7 under late usage, worked by hand: October guarantee 100.00, revenue share 20%,
 * on time revenue 300.00 (royalty 60.00, top-up 40.00).
 */
class GuaranteeRecoupmentTest {

    private static final YearMonth DECEMBER = YearMonth.of(2026, 12);
    private static final LocalDate OCT_10 = OCTOBER.atDay(10);
    private static final Map<String, ModelInfo> XTTS = models(model("xtts", "coqui"));
    private static final Agreement GUARANTEED =
            new Agreement(
                    "a1",
                    "coqui",
                    "acme",
                    "xtts",
                    "USD",
                    LocalDate.of(2026, 1, 1),
                    NOVEMBER.atDay(1),
                    new RevenueShare(d("0.20")),
                    d("100.00"));
    private static final List<UsageRow> ON_TIME =
            List.of(revenue("xtts", OCT_10, COMMERCIAL, "USD", "300.00"));

    @Test
    void theOnTimeStatementPaysTheRoyaltyAndTheTopUp() {
        assertThat(october(XTTS))
                .extracting(StatementLine::kind, StatementLine::amount)
                .containsExactly(
                        tuple(LineKind.ROYALTY, d("60.00")),
                        tuple(LineKind.MINIMUM_GUARANTEE_TOPUP, d("40.00")));
    }

    @Test
    void lateRoyaltyBelowTheGuaranteeIsRecoupedInFull() {
        List<StatementLine> lines = november(XTTS, october(XTTS), "150.00");

        // max(100, 90) − max(100, 60) = 0
        assertThat(lines)
                .extracting(
                        StatementLine::kind,
                        StatementLine::makerId,
                        StatementLine::amount,
                        StatementLine::adjustsPeriod)
                .containsExactly(
                        tuple(LineKind.LATE_ADJUSTMENT, "coqui", d("30.00"), OCTOBER),
                        tuple(LineKind.GUARANTEE_RECOUPMENT, "coqui", d("-30.00"), OCTOBER));
        assertThat(lines.get(1).basis()).isEqualByComparingTo("40.00");
        assertThat(lines.get(1).customerType()).isNull();
        assertThat(lines.get(1).path()).isEmpty();
    }

    @Test
    void aTopUpIsNeverRecoupedBelowZero() {
        List<StatementLine> lines = november(XTTS, october(XTTS), "300.00");

        // max(100, 120) − max(100, 60) = 20 = 60.00 − 40.00
        assertThat(lines)
                .extracting(StatementLine::kind, StatementLine::amount)
                .containsExactly(
                        tuple(LineKind.LATE_ADJUSTMENT, d("60.00")),
                        tuple(LineKind.GUARANTEE_RECOUPMENT, d("-40.00")));
    }

    @Test
    void severalLateBatchesRecoupNoMoreThanTheTopUpTogether() {
        List<StatementLine> october = october(XTTS);
        List<StatementLine> november = november(XTTS, october, "150.00");
        // December: 150.00 more late; 450.00 settled so far; 10.00 of the top-up still paid
        LateUsage second =
                new LateUsage(
                        OCTOBER,
                        List.of(
                                revenue("xtts", OCT_10, COMMERCIAL, "USD", "300.00"),
                                revenue("xtts", OCT_10, COMMERCIAL, "USD", "150.00")),
                        List.of(revenue("xtts", OCT_10, COMMERCIAL, "USD", "150.00")),
                        SettlementEngine.topUpsOutstanding(OCTOBER, concat(october, november)));

        List<StatementLine> december =
                SettlementEngine.settle(
                        DECEMBER, List.of(), List.of(second), List.of(GUARANTEED), XTTS);

        assertThat(SettlementEngine.topUpsOutstanding(OCTOBER, concat(october, november)))
                .containsExactly(Map.entry("a1", d("10.000000000000000000")));
        assertThat(december)
                .extracting(StatementLine::kind, StatementLine::amount)
                .containsExactly(
                        tuple(LineKind.LATE_ADJUSTMENT, d("30.00")),
                        tuple(LineKind.GUARANTEE_RECOUPMENT, d("-10.00")));
        // October now costs max(100, 120) = 120 in all
        assertThat(total(concat(october, concat(november, december))))
                .isEqualByComparingTo("120.00");
    }

    @Test
    void underADerivedModelTheHopsArePaidAndTheAgreementsMakerCarriesTheRecoupment() {
        // q (maker k2) derives from base (maker k1) with a 25% royalty share
        Map<String, ModelInfo> models =
                models(model("base", "k1"), model("q", "k2", new Parent("base", d("0.25"))));
        Agreement agreement =
                new Agreement(
                        "a1",
                        "k2",
                        "acme",
                        "q",
                        "USD",
                        LocalDate.of(2026, 1, 1),
                        NOVEMBER.atDay(1),
                        new RevenueShare(d("0.20")),
                        d("100.00"));
        List<StatementLine> october =
                SettlementEngine.settle(
                        OCTOBER,
                        List.of(revenue("q", OCT_10, COMMERCIAL, "USD", "300.00")),
                        List.of(),
                        List.of(agreement),
                        models);
        LateUsage late =
                new LateUsage(
                        OCTOBER,
                        List.of(revenue("q", OCT_10, COMMERCIAL, "USD", "300.00")),
                        List.of(revenue("q", OCT_10, COMMERCIAL, "USD", "150.00")),
                        SettlementEngine.topUpsOutstanding(OCTOBER, october));

        List<StatementLine> november =
                SettlementEngine.settle(
                        NOVEMBER, List.of(), List.of(late), List.of(agreement), models);

        // late royalty 30.00: 7.50 to base's maker, 22.50 kept; 30.00 of the 40.00 top-up recouped,
        // so the platform owes nothing more and k2's net for October's adjustment is −7.50
        assertThat(november)
                .extracting(
                        StatementLine::makerId,
                        StatementLine::kind,
                        StatementLine::path,
                        StatementLine::amount)
                .containsExactly(
                        tuple("k1", LineKind.LATE_ADJUSTMENT, List.of("q", "base"), d("7.50")),
                        tuple("k2", LineKind.LATE_ADJUSTMENT, List.of("q"), d("22.50")),
                        tuple("k2", LineKind.GUARANTEE_RECOUPMENT, List.of(), d("-30.00")));
        assertThat(SettlementEngine.payouts(november))
                .containsEntry("k1", Map.of("USD", d("7.50")))
                .containsEntry("k2", Map.of("USD", d("-7.50")));
        assertThat(Ledger.post(NOVEMBER, november))
                .singleElement()
                .satisfies(
                        entry ->
                                assertThat(entry.lines())
                                        .extracting(
                                                JournalLine::account,
                                                JournalLine::debit,
                                                JournalLine::credit)
                                        .containsExactly(
                                                tuple("maker:k1:receivable", d("0.00"), d("7.50")),
                                                tuple(
                                                        "maker:k2:receivable",
                                                        d("7.50"),
                                                        d("0.00"))));
    }

    @Test
    void withoutATopUpPaidNothingIsRecouped() {
        List<StatementLine> lines = november(XTTS, List.of(), "150.00");

        assertThat(lines)
                .extracting(StatementLine::kind, StatementLine::amount)
                .containsExactly(tuple(LineKind.LATE_ADJUSTMENT, d("30.00")));
    }

    @Test
    void usageTakenBackByADisputeLiftsTheTopUpAgain() {
        // a dispute takes 150.00 of October's 300.00 back: R_late = −30.00, and October costs
        // max(100, 30) − max(100, 60) = 0 more, so the top-up grows by the 30.00 taken back
        List<StatementLine> lines = november(XTTS, october(XTTS), "-150.00");

        assertThat(lines)
                .extracting(
                        StatementLine::kind,
                        StatementLine::makerId,
                        StatementLine::amount,
                        StatementLine::adjustsPeriod)
                .containsExactly(
                        tuple(LineKind.MINIMUM_GUARANTEE_TOPUP, "coqui", d("30.00"), OCTOBER),
                        tuple(LineKind.LATE_ADJUSTMENT, "coqui", d("-30.00"), OCTOBER));
        assertThat(lines.get(0).basis()).isEqualByComparingTo("100.00");
        // the restored top-up counts as paid for October: a later recoupment may take it back
        assertThat(SettlementEngine.topUpsOutstanding(OCTOBER, concat(october(XTTS), lines)))
                .hasEntrySatisfying("a1", t -> assertThat(t).isEqualByComparingTo("70.00"));
    }

    @Test
    void usageTakenBackAboveTheGuaranteeLiftsTheTopUpOnlyBelowIt() {
        // on time 600.00: R_old = 120.00, no top-up; a dispute takes 150.00 back (R_late = −30.00):
        // October costs max(100, 90) − max(100, 120) = −20.00, a −30.00 adjustment and a 10.00
        // top-up
        List<UsageRow> onTime = List.of(revenue("xtts", OCT_10, COMMERCIAL, "USD", "600.00"));
        List<StatementLine> october =
                SettlementEngine.settle(OCTOBER, onTime, List.of(), List.of(GUARANTEED), XTTS);
        LateUsage late =
                new LateUsage(
                        OCTOBER,
                        onTime,
                        List.of(revenue("xtts", OCT_10, COMMERCIAL, "USD", "-150.00")),
                        SettlementEngine.topUpsOutstanding(OCTOBER, october));

        List<StatementLine> november =
                SettlementEngine.settle(
                        NOVEMBER, List.of(), List.of(late), List.of(GUARANTEED), XTTS);

        assertThat(november)
                .extracting(StatementLine::kind, StatementLine::amount)
                .containsExactly(
                        tuple(LineKind.MINIMUM_GUARANTEE_TOPUP, d("10.00")),
                        tuple(LineKind.LATE_ADJUSTMENT, d("-30.00")));
        assertThat(total(november)).isEqualByComparingTo("-20.00");
    }

    private static List<StatementLine> october(Map<String, ModelInfo> models) {
        return SettlementEngine.settle(OCTOBER, ON_TIME, List.of(), List.of(GUARANTEED), models);
    }

    private static List<StatementLine> november(
            Map<String, ModelInfo> models, List<StatementLine> closed, String lateRevenue) {
        LateUsage late =
                new LateUsage(
                        OCTOBER,
                        ON_TIME,
                        List.of(revenue("xtts", OCT_10, COMMERCIAL, "USD", lateRevenue)),
                        SettlementEngine.topUpsOutstanding(OCTOBER, closed));
        return SettlementEngine.settle(
                NOVEMBER, List.of(), List.of(late), List.of(GUARANTEED), models);
    }

    private static List<StatementLine> concat(List<StatementLine> a, List<StatementLine> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }

    private static BigDecimal total(List<StatementLine> lines) {
        return lines.stream().map(StatementLine::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
    }
}
