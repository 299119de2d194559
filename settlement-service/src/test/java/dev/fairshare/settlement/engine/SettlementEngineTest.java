package dev.fairshare.settlement.engine;

import static dev.fairshare.settlement.engine.CustomerType.COMMERCIAL;
import static dev.fairshare.settlement.engine.CustomerType.NON_COMMERCIAL;
import static dev.fairshare.settlement.engine.Fixtures.NOVEMBER;
import static dev.fairshare.settlement.engine.Fixtures.agreement;
import static dev.fairshare.settlement.engine.Fixtures.d;
import static dev.fairshare.settlement.engine.Fixtures.model;
import static dev.fairshare.settlement.engine.Fixtures.models;
import static dev.fairshare.settlement.engine.Fixtures.nov;
import static dev.fairshare.settlement.engine.Fixtures.revenue;
import static dev.fairshare.settlement.engine.Fixtures.tokenTiers;
import static dev.fairshare.settlement.engine.Fixtures.tokens;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class SettlementEngineTest {

    private static final Map<String, ModelInfo> XTTS = models(model("xtts", "coqui"));

    @Test
    void perUnitTermsPriceTheAgreementsWholeVolume() {
        Agreement perUnit = agreement("a1", "coqui", "xtts", tokenTiers());
        List<UsageRow> usage =
                List.of(
                        tokens("xtts", nov(3), COMMERCIAL, "1000000"),
                        tokens("xtts", nov(20), COMMERCIAL, "300000"));

        List<StatementLine> lines =
                SettlementEngine.settle(NOVEMBER, usage, List.of(), List.of(perUnit), XTTS);

        assertThat(lines)
                .singleElement()
                .satisfies(
                        line -> {
                            assertThat(line.kind()).isEqualTo(LineKind.ROYALTY);
                            assertThat(line.makerId()).isEqualTo("coqui");
                            assertThat(line.basis()).isEqualByComparingTo(d("1300000"));
                            assertThat(line.exactAmount()).isEqualByComparingTo(d("59.00"));
                            assertThat(line.amount()).isEqualTo(d("59.00"));
                        });
    }

    @Test
    void revenueShareRatesTheRevenueOfEachCustomerType() {
        Agreement share = agreement("a1", "coqui", null, new RevenueShare(d("0.20")));
        List<UsageRow> usage =
                List.of(
                        revenue("xtts", nov(1), COMMERCIAL, "USD", "60.00"),
                        revenue("xtts", nov(2), COMMERCIAL, "USD", "40.00"),
                        revenue("xtts", nov(2), NON_COMMERCIAL, "USD", "50.00"));

        List<StatementLine> lines =
                SettlementEngine.settle(NOVEMBER, usage, List.of(), List.of(share), XTTS);

        assertThat(lines)
                .extracting(StatementLine::customerType)
                .containsExactly(COMMERCIAL, NON_COMMERCIAL);
        assertThat(lines.get(0).basis()).isEqualByComparingTo(d("100.00"));
        assertThat(lines.get(0).amount()).isEqualTo(d("20.00"));
        assertThat(lines.get(1).amount()).isEqualTo(d("10.00"));
        assertThat(lines)
                .allSatisfy(
                        line -> {
                            assertThat(line.modelId()).isEqualTo("xtts");
                            assertThat(line.sourceModelId()).isEqualTo("xtts");
                            assertThat(line.agreementId()).isEqualTo("a1");
                        });
    }

    @Test
    void aPipelinePaysEachComponentModelUnderItsOwnMakersAgreement() {
        // one 10.00 event through whisper (0.3) and xtts (0.7), already split upstream
        Map<String, ModelInfo> models = models(model("whisper", "openai"), model("xtts", "coqui"));
        List<Agreement> agreements =
                List.of(
                        agreement("a-openai", "openai", null, new RevenueShare(d("0.50"))),
                        agreement("a-coqui", "coqui", null, new RevenueShare(d("0.50"))));
        List<UsageRow> usage =
                List.of(
                        revenue("whisper", nov(5), COMMERCIAL, "USD", "3.00"),
                        revenue("xtts", nov(5), COMMERCIAL, "USD", "7.00"));

        List<StatementLine> lines =
                SettlementEngine.settle(NOVEMBER, usage, List.of(), agreements, models);

        assertThat(SettlementEngine.payouts(lines))
                .isEqualTo(
                        Map.of(
                                "coqui",
                                Map.of("USD", d("3.50")),
                                "openai",
                                Map.of("USD", d("1.50"))));
        assertThat(SettlementEngine.invoices(lines))
                .isEqualTo(Map.of("acme", Map.of("USD", d("5.00"))));
    }

    @Test
    void aGuaranteeInForceForHalfOfNovemberIsProRatedWithoutAnyUsage() {
        Agreement guaranteed =
                new Agreement(
                        "a1",
                        "coqui",
                        "acme",
                        null,
                        "USD",
                        nov(16),
                        null,
                        new RevenueShare(d("0.20")),
                        d("50.00"));

        List<StatementLine> lines =
                SettlementEngine.settle(NOVEMBER, List.of(), List.of(), List.of(guaranteed), XTTS);

        assertThat(lines)
                .singleElement()
                .satisfies(
                        line -> {
                            assertThat(line.kind()).isEqualTo(LineKind.MINIMUM_GUARANTEE_TOPUP);
                            assertThat(line.makerId()).isEqualTo("coqui");
                            assertThat(line.modelId()).isNull();
                            assertThat(line.sourceModelId()).isNull();
                            assertThat(line.customerType()).isNull();
                            assertThat(line.basis()).isEqualByComparingTo(d("25.00"));
                            assertThat(line.amount()).isEqualTo(d("25.00"));
                        });
    }

    @Test
    void aTopUpCoversOnlyTheGapBetweenRoyaltyAndGuarantee() {
        Agreement guaranteed =
                new Agreement(
                        "a1",
                        "coqui",
                        "acme",
                        "xtts",
                        "USD",
                        nov(1),
                        null,
                        new RevenueShare(d("0.20")),
                        d("50.00"));
        List<UsageRow> usage = List.of(revenue("xtts", nov(1), COMMERCIAL, "USD", "100.00"));

        List<StatementLine> lines =
                SettlementEngine.settle(NOVEMBER, usage, List.of(), List.of(guaranteed), XTTS);

        assertThat(lines)
                .extracting(StatementLine::kind)
                .containsExactly(LineKind.ROYALTY, LineKind.MINIMUM_GUARANTEE_TOPUP);
        assertThat(lines.get(1).modelId()).isEqualTo("xtts");
        assertThat(lines.get(1).amount()).isEqualTo(d("30.00"));
        assertThat(SettlementEngine.payouts(lines).get("coqui").get("USD")).isEqualTo(d("50.00"));
    }

    @Test
    void anAgreementChangeMidPeriodRatesEachDayUnderTheAgreementInForce() {
        Agreement old =
                new Agreement(
                        "a1",
                        "coqui",
                        "acme",
                        "xtts",
                        "USD",
                        LocalDate.of(2026, 1, 1),
                        nov(16),
                        new RevenueShare(d("0.20")),
                        d("30.00"));
        Agreement renewed =
                new Agreement(
                        "a2",
                        "coqui",
                        "acme",
                        "xtts",
                        "USD",
                        nov(16),
                        null,
                        new RevenueShare(d("0.25")),
                        null);
        List<UsageRow> usage =
                List.of(
                        revenue("xtts", nov(15), COMMERCIAL, "USD", "100.00"),
                        revenue("xtts", nov(16), COMMERCIAL, "USD", "100.00"));

        List<StatementLine> lines =
                SettlementEngine.settle(NOVEMBER, usage, List.of(), List.of(renewed, old), XTTS);

        // the old guarantee is pro-rated to 15.00 for its 15 days and met by its 20.00
        assertThat(lines)
                .extracting(StatementLine::agreementId, StatementLine::kind, StatementLine::amount)
                .containsExactly(
                        tuple("a1", LineKind.ROYALTY, d("20.00")),
                        tuple("a2", LineKind.ROYALTY, d("25.00")));
    }

    @Test
    void aModelSpecificAgreementWinsOverTheMakersAllModelsAgreement() {
        List<Agreement> agreements =
                List.of(
                        agreement("all", "coqui", null, new RevenueShare(d("0.10"))),
                        agreement("specific", "coqui", "xtts", new RevenueShare(d("0.30"))));
        List<UsageRow> usage = List.of(revenue("xtts", nov(1), COMMERCIAL, "USD", "10.00"));

        List<StatementLine> lines =
                SettlementEngine.settle(NOVEMBER, usage, List.of(), agreements, XTTS);

        assertThat(lines)
                .singleElement()
                .satisfies(
                        line -> {
                            assertThat(line.agreementId()).isEqualTo("specific");
                            assertThat(line.amount()).isEqualTo(d("3.00"));
                        });
    }

    @Test
    void revenueInAnotherCurrencyIsNotRatedByARevenueShareButUnitsAlwaysAre() {
        Agreement share = agreement("a1", "coqui", "xtts", new RevenueShare(d("0.20")));
        List<UsageRow> usage =
                List.of(
                        revenue("xtts", nov(1), COMMERCIAL, "EUR", "100.00"),
                        revenue("xtts", nov(1), COMMERCIAL, "USD", "10.00"));

        List<StatementLine> lines =
                SettlementEngine.settle(NOVEMBER, usage, List.of(), List.of(share), XTTS);

        assertThat(lines)
                .singleElement()
                .satisfies(
                        line -> {
                            assertThat(line.basis()).isEqualByComparingTo(d("10.00"));
                            assertThat(line.amount()).isEqualTo(d("2.00"));
                        });
        assertThat(new Coverage(NOVEMBER, List.of(share), XTTS).currencyMismatched(usage))
                .containsExactly(usage.get(0));

        Agreement perUnit = agreement("a2", "coqui", "xtts", tokenTiers());
        UsageRow euroTokens =
                new UsageRow(
                        "acme",
                        "xtts",
                        nov(1),
                        COMMERCIAL,
                        "EUR",
                        1,
                        d("100.00"),
                        Map.of("tokens", d("20000")));
        assertThat(
                        SettlementEngine.settle(
                                NOVEMBER, List.of(euroTokens), List.of(), List.of(perUnit), XTTS))
                .singleElement()
                .satisfies(
                        line -> {
                            assertThat(line.currency()).isEqualTo("USD");
                            assertThat(line.amount()).isEqualTo(d("1.00"));
                        });
        assertThat(
                        new Coverage(NOVEMBER, List.of(perUnit), XTTS)
                                .currencyMismatched(List.of(euroTokens)))
                .isEmpty();
    }

    @Test
    void eachInvoiceIsRoundedAsAWholeByLargestRemainder() {
        // 3 tokens at 1.00 per 3 tokens, split evenly over three models: a third of a dollar each
        PerUnit perThree = new PerUnit("tokens", d("3"), List.of(new Tier(null, d("1.00"))));
        Map<String, ModelInfo> models =
                models(model("m1", "k"), model("m2", "k"), model("m3", "k"));
        List<UsageRow> usage =
                List.of(
                        tokens("m1", nov(1), COMMERCIAL, "1"),
                        tokens("m2", nov(1), COMMERCIAL, "1"),
                        tokens("m3", nov(1), COMMERCIAL, "1"));

        List<StatementLine> lines =
                SettlementEngine.settle(
                        NOVEMBER,
                        usage,
                        List.of(),
                        List.of(agreement("a1", "k", null, perThree)),
                        models);

        assertThat(lines)
                .extracting(StatementLine::amount)
                .containsExactly(d("0.34"), d("0.33"), d("0.33"));
        assertThat(SettlementEngine.invoices(lines).get("acme").get("USD")).isEqualTo(d("1.00"));
    }

    @Test
    void theOrderOfTheInputsDoesNotMatter() {
        Map<String, ModelInfo> models =
                models(model("m1", "k1", new Parent("m2", d("0.25"))), model("m2", "k2"));
        List<Agreement> agreements =
                new ArrayList<>(
                        List.of(
                                agreement("a1", "k1", null, tokenTiers()),
                                agreement("a2", "k2", "m2", new RevenueShare(d("0.10")))));
        List<UsageRow> usage =
                new ArrayList<>(
                        List.of(
                                tokens("m1", nov(1), COMMERCIAL, "777777"),
                                tokens("m1", nov(2), NON_COMMERCIAL, "333333"),
                                revenue("m2", nov(3), COMMERCIAL, "USD", "1.11"),
                                revenue("m2", nov(4), NON_COMMERCIAL, "USD", "2.22")));

        List<StatementLine> first =
                SettlementEngine.settle(NOVEMBER, usage, List.of(), agreements, models);
        Collections.reverse(usage);
        Collections.reverse(agreements);
        List<StatementLine> second =
                SettlementEngine.settle(
                        NOVEMBER, usage, List.of(), agreements, new TreeMap<>(models));

        assertThat(second).isEqualTo(first);
    }

    @Test
    void usageOutsideThePeriodAndUnknownModelsAreRejected() {
        Agreement share = agreement("a1", "coqui", "xtts", new RevenueShare(d("0.20")));
        List<UsageRow> december =
                List.of(revenue("xtts", LocalDate.of(2026, 12, 1), COMMERCIAL, "USD", "1"));
        List<UsageRow> unknown = List.of(revenue("nobody", nov(1), COMMERCIAL, "USD", "1"));

        assertThatThrownBy(
                        () ->
                                SettlementEngine.settle(
                                        NOVEMBER, december, List.of(), List.of(share), XTTS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2026-11");
        assertThatThrownBy(
                        () ->
                                SettlementEngine.settle(
                                        NOVEMBER, unknown, List.of(), List.of(share), XTTS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nobody");
    }

    @Test
    void exactLinesAreUnrounded() {
        PerUnit perThree = new PerUnit("tokens", d("3"), List.of(new Tier(null, d("1.00"))));
        List<UsageRow> usage = List.of(tokens("xtts", nov(1), COMMERCIAL, "1"));

        List<StatementLine> lines =
                SettlementEngine.exactLines(
                        NOVEMBER, usage, List.of(agreement("a1", "coqui", null, perThree)), XTTS);

        assertThat(lines)
                .singleElement()
                .satisfies(
                        line -> {
                            assertThat(line.exactAmount()).isEqualTo(d("0.333333333333333333"));
                            assertThat(line.amount()).isEqualTo(line.exactAmount());
                        });
    }
}
