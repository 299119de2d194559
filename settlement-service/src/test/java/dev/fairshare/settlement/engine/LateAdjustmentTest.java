package dev.fairshare.settlement.engine;

import static dev.fairshare.settlement.engine.CustomerType.COMMERCIAL;
import static dev.fairshare.settlement.engine.CustomerType.NON_COMMERCIAL;
import static dev.fairshare.settlement.engine.Fixtures.NOVEMBER;
import static dev.fairshare.settlement.engine.Fixtures.OCTOBER;
import static dev.fairshare.settlement.engine.Fixtures.agreement;
import static dev.fairshare.settlement.engine.Fixtures.d;
import static dev.fairshare.settlement.engine.Fixtures.model;
import static dev.fairshare.settlement.engine.Fixtures.models;
import static dev.fairshare.settlement.engine.Fixtures.revenue;
import static dev.fairshare.settlement.engine.Fixtures.tokenTiers;
import static dev.fairshare.settlement.engine.Fixtures.tokens;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LateAdjustmentTest {

    private static final LocalDate OCT_10 = OCTOBER.atDay(10);
    private static final Map<String, ModelInfo> XTTS = models(model("xtts", "coqui"));

    @Test
    void lateUnitsCrossingATierBoundaryPayTheMarginalPrice() {
        LateUsage late =
                new LateUsage(
                        OCTOBER,
                        List.of(tokens("xtts", OCT_10, COMMERCIAL, "900000")),
                        List.of(tokens("xtts", OCT_10, COMMERCIAL, "200000")));

        List<StatementLine> lines =
                SettlementEngine.settle(
                        NOVEMBER,
                        List.of(),
                        List.of(late),
                        List.of(agreement("a1", "coqui", "xtts", tokenTiers())),
                        XTTS);

        // 100 blocks left at 0.05, then 100 blocks at 0.03
        assertThat(lines)
                .singleElement()
                .satisfies(
                        line -> {
                            assertThat(line.kind()).isEqualTo(LineKind.LATE_ADJUSTMENT);
                            assertThat(line.period()).isEqualTo(NOVEMBER);
                            assertThat(line.adjustsPeriod()).isEqualTo(OCTOBER);
                            assertThat(line.basis()).isEqualByComparingTo(d("200000"));
                            assertThat(line.amount()).isEqualTo(d("8.00"));
                        });
    }

    @Test
    void theMarginalPriceGoesToTheLateUsageOnly() {
        LateUsage late =
                new LateUsage(
                        OCTOBER,
                        List.of(tokens("xtts", OCT_10, COMMERCIAL, "900000")),
                        List.of(tokens("xtts", OCT_10, NON_COMMERCIAL, "200000")));

        List<StatementLine> lines =
                SettlementEngine.settle(
                        NOVEMBER,
                        List.of(),
                        List.of(late),
                        List.of(agreement("a1", "coqui", "xtts", tokenTiers())),
                        XTTS);

        assertThat(lines)
                .extracting(StatementLine::customerType, StatementLine::amount)
                .containsExactly(tuple(NON_COMMERCIAL, d("8.00")));
    }

    @Test
    void lateRoyaltiesCascadeAndSitNextToTheCurrentPeriodsLines() {
        Map<String, ModelInfo> models =
                models(model("tuned", "K", new Parent("base", d("0.25"))), model("base", "KB"));
        Agreement share =
                new Agreement(
                        "a1",
                        "K",
                        "acme",
                        null,
                        "USD",
                        LocalDate.of(2026, 1, 1),
                        null,
                        new RevenueShare(d("0.10")),
                        d("5.00"));
        LateUsage late =
                new LateUsage(
                        OCTOBER,
                        List.of(revenue("tuned", OCT_10, COMMERCIAL, "USD", "1.00")),
                        List.of(revenue("tuned", OCT_10, COMMERCIAL, "USD", "40.00")));
        List<UsageRow> november =
                List.of(revenue("tuned", NOVEMBER.atDay(3), COMMERCIAL, "USD", "80.00"));

        List<StatementLine> lines =
                SettlementEngine.settle(NOVEMBER, november, List.of(late), List.of(share), models);

        // October's top-up stays as closed; November's 8.00 meets its 5.00 guarantee; 25 % goes
        // upstream
        assertThat(lines)
                .extracting(
                        StatementLine::makerId,
                        StatementLine::modelId,
                        StatementLine::kind,
                        StatementLine::sourceModelId,
                        StatementLine::adjustsPeriod,
                        StatementLine::amount)
                .containsExactly(
                        tuple("K", "tuned", LineKind.ROYALTY, "tuned", null, d("6.00")),
                        tuple("K", "tuned", LineKind.LATE_ADJUSTMENT, "tuned", OCTOBER, d("3.00")),
                        tuple("KB", "base", LineKind.UPSTREAM_ROYALTY, "tuned", null, d("2.00")),
                        tuple("KB", "base", LineKind.LATE_ADJUSTMENT, "tuned", OCTOBER, d("1.00")));
    }

    @Test
    void lateUsageWithoutAnyRoyaltyAddsNoLine() {
        LateUsage late =
                new LateUsage(
                        OCTOBER,
                        List.of(),
                        List.of(
                                revenue("xtts", OCT_10, COMMERCIAL, "USD", "0"),
                                revenue("xtts", OCT_10, COMMERCIAL, "EUR", "9")));

        assertThat(
                        SettlementEngine.settle(
                                NOVEMBER,
                                List.of(),
                                List.of(late),
                                List.of(
                                        agreement(
                                                "a1", "coqui", "xtts", new RevenueShare(d("0.5")))),
                                XTTS))
                .isEmpty();
    }

    @Test
    void lateUsageMustBeForAnEarlierPeriod() {
        LateUsage notLate = new LateUsage(NOVEMBER, List.of(), List.of());
        LateUsage outside =
                new LateUsage(
                        OCTOBER,
                        List.of(),
                        List.of(tokens("xtts", NOVEMBER.atDay(1), COMMERCIAL, "1")));
        List<Agreement> agreements = List.of(agreement("a1", "coqui", "xtts", tokenTiers()));

        assertThatThrownBy(
                        () ->
                                SettlementEngine.settle(
                                        NOVEMBER, List.of(), List.of(notLate), agreements, XTTS))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(
                        () ->
                                SettlementEngine.settle(
                                        NOVEMBER, List.of(), List.of(outside), agreements, XTTS))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
