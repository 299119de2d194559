package dev.fairshare.settlement.engine;

import static dev.fairshare.settlement.engine.CustomerType.COMMERCIAL;
import static dev.fairshare.settlement.engine.Fixtures.NOVEMBER;
import static dev.fairshare.settlement.engine.Fixtures.OCTOBER;
import static dev.fairshare.settlement.engine.Fixtures.agreement;
import static dev.fairshare.settlement.engine.Fixtures.d;
import static dev.fairshare.settlement.engine.Fixtures.model;
import static dev.fairshare.settlement.engine.Fixtures.models;
import static dev.fairshare.settlement.engine.Fixtures.tokenTiers;
import static dev.fairshare.settlement.engine.Fixtures.tokens;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A dispute correction reaching into a closed period: the usage a ref brought to one model moves to
 * another, and the next open period settles the difference as {@code LATE_ADJUSTMENT} lines,
 * negative for the maker that loses the ref and positive for the one that gains it.
 */
class DisputeAdjustmentTest {
    private static final LocalDate OCT_10 = OCTOBER.atDay(10);

    /** One event's worth of revenue of a model on acme in October ({@code events} may be -1). */
    private static UsageRow revenue(String modelId, long events, String amount) {
        return new UsageRow(
                "acme", modelId, OCT_10, COMMERCIAL, "USD", events, d(amount), Map.of());
    }

    @Test
    void theLoserGetsANegativeAndTheGainerAPositiveLateAdjustment() {
        // October closed with 10.00 of revenue for voicelab's model; 4.00 of it was coqui's ref
        LateUsage dispute =
                new LateUsage(
                        OCTOBER,
                        List.of(revenue("nordic", 3, "10.00")),
                        List.of(revenue("nordic", -1, "-4.00"), revenue("xtts", 1, "4.00")));
        List<Agreement> agreements =
                List.of(
                        agreement("a-voicelab", "voicelab", "nordic", new RevenueShare(d("0.20"))),
                        agreement("a-coqui", "coqui", "xtts", new RevenueShare(d("0.25"))));

        List<StatementLine> lines =
                SettlementEngine.settle(
                        NOVEMBER,
                        List.of(),
                        List.of(dispute),
                        agreements,
                        models(model("nordic", "voicelab"), model("xtts", "coqui")));

        // 0.20 × -4.00 = -0.80 for voicelab; 0.25 × 4.00 = 1.00 for coqui
        assertThat(lines)
                .extracting(
                        StatementLine::makerId,
                        StatementLine::kind,
                        StatementLine::adjustsPeriod,
                        StatementLine::basis,
                        StatementLine::amount)
                .containsExactlyInAnyOrder(
                        tuple(
                                "voicelab",
                                LineKind.LATE_ADJUSTMENT,
                                OCTOBER,
                                d("-4.00"),
                                d("-0.80")),
                        tuple("coqui", LineKind.LATE_ADJUSTMENT, OCTOBER, d("4.00"), d("1.00")));
        assertThat(SettlementEngine.invoices(lines).get("acme").get("USD"))
                .isEqualByComparingTo("0.20");

        // the ledger debits the loser, credits the gainer, and the platform owes the difference
        assertThat(Ledger.post(NOVEMBER, lines))
                .singleElement()
                .satisfies(
                        entry ->
                                assertThat(entry.lines())
                                        .containsExactly(
                                                JournalLine.credit(
                                                        "maker:coqui:receivable", "USD", d("1.00")),
                                                JournalLine.debit(
                                                        "maker:voicelab:receivable",
                                                        "USD",
                                                        d("0.80")),
                                                JournalLine.debit(
                                                        "platform:acme:payable",
                                                        "USD",
                                                        d("0.20"))));
    }

    @Test
    void unitsTakenBackPayTheMarginalPriceBackDownTheTiers() {
        // 1,100,000 tokens settled: 1000 blocks at 0.05 + 100 at 0.03 = 53.00; minus 200,000 leaves
        // 900 blocks at 0.05 = 45.00: the adjustment is -8.00
        LateUsage dispute =
                new LateUsage(
                        OCTOBER,
                        List.of(tokens("nordic", OCT_10, COMMERCIAL, "1100000")),
                        List.of(
                                new UsageRow(
                                        "acme",
                                        "nordic",
                                        OCT_10,
                                        COMMERCIAL,
                                        "USD",
                                        -1,
                                        BigDecimal.ZERO,
                                        Map.of("tokens", d("-200000")))));

        List<StatementLine> lines =
                SettlementEngine.settle(
                        NOVEMBER,
                        List.of(),
                        List.of(dispute),
                        List.of(agreement("a1", "voicelab", "nordic", tokenTiers())),
                        models(model("nordic", "voicelab")));

        assertThat(lines)
                .singleElement()
                .satisfies(
                        line -> {
                            assertThat(line.kind()).isEqualTo(LineKind.LATE_ADJUSTMENT);
                            assertThat(line.basis()).isEqualByComparingTo("-200000");
                            assertThat(line.amount()).isEqualTo(d("-8.00"));
                        });
    }

    @Test
    void aNegativeAdjustmentCascadesUpTheLosersLineage() {
        // the losing model pays 30 % of its royalty upstream: the parent's maker gives back its
        // share too (-0.80 × 0.30 = -0.24), the loser keeps -0.56
        LateUsage dispute =
                new LateUsage(
                        OCTOBER,
                        List.of(revenue("nordic", 3, "10.00")),
                        List.of(revenue("nordic", -1, "-4.00")));

        List<StatementLine> lines =
                SettlementEngine.settle(
                        NOVEMBER,
                        List.of(),
                        List.of(dispute),
                        List.of(
                                agreement(
                                        "a-voicelab",
                                        "voicelab",
                                        "nordic",
                                        new RevenueShare(d("0.20")))),
                        models(
                                model("nordic", "voicelab", new Parent("base", d("0.30"))),
                                model("base", "upstream")));

        assertThat(lines)
                .extracting(StatementLine::makerId, StatementLine::amount)
                .containsExactlyInAnyOrder(
                        tuple("voicelab", d("-0.56")), tuple("upstream", d("-0.24")));
    }
}
