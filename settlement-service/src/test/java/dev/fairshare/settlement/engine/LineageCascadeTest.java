package dev.fairshare.settlement.engine;

import static dev.fairshare.settlement.engine.CustomerType.COMMERCIAL;
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

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LineageCascadeTest {

    @Test
    void threeLevelsOfLineageEachGetTheirOwnLine() {
        // derived (maker K) <- parent P 0.30 (maker KP) <- grandparent G 0.10 (maker KG)
        Map<String, ModelInfo> models =
                models(
                        model("derived", "K", new Parent("parent", d("0.30"))),
                        model("parent", "KP", new Parent("grand", d("0.10"))),
                        model("grand", "KG"));
        List<UsageRow> usage = List.of(tokens("derived", nov(1), COMMERCIAL, "1300000"));

        List<StatementLine> lines =
                SettlementEngine.settle(
                        NOVEMBER,
                        usage,
                        List.of(),
                        List.of(agreement("a1", "K", "derived", tokenTiers())),
                        models);

        // R = 59.00; P receives 17.70 and passes 1.77 to G
        assertThat(lines)
                .extracting(
                        StatementLine::makerId,
                        StatementLine::modelId,
                        StatementLine::kind,
                        StatementLine::amount)
                .containsExactly(
                        tuple("K", "derived", LineKind.ROYALTY, d("41.30")),
                        tuple("KG", "grand", LineKind.UPSTREAM_ROYALTY, d("1.77")),
                        tuple("KP", "parent", LineKind.UPSTREAM_ROYALTY, d("15.93")));
        assertThat(lines)
                .allSatisfy(
                        line -> {
                            assertThat(line.sourceModelId()).isEqualTo("derived");
                            assertThat(line.agreementId()).isEqualTo("a1");
                            assertThat(line.customerType()).isEqualTo(COMMERCIAL);
                        });
        assertThat(lines)
                .extracting(StatementLine::basis)
                .usingElementComparator(BigDecimal::compareTo)
                .containsExactly(d("1300000"), d("17.70"), d("59.00"));
        assertThat(
                        lines.stream()
                                .map(StatementLine::exactAmount)
                                .reduce(BigDecimal.ZERO, BigDecimal::add))
                .isEqualByComparingTo(d("59.00"));
    }

    @Test
    void aCommonAncestorReachedTwiceGetsALinePerRoute() {
        Map<String, ModelInfo> models =
                models(
                        model(
                                "derived",
                                "K",
                                new Parent("left", d("0.20")),
                                new Parent("right", d("0.20"))),
                        model("left", "KL", new Parent("base", d("0.50"))),
                        model("right", "KR", new Parent("base", d("0.50"))),
                        model("base", "KB"));
        List<UsageRow> usage = List.of(revenue("derived", nov(1), COMMERCIAL, "USD", "100.00"));

        List<StatementLine> lines =
                SettlementEngine.settle(
                        NOVEMBER,
                        usage,
                        List.of(),
                        List.of(agreement("a1", "K", null, new RevenueShare(BigDecimal.ONE))),
                        models);

        assertThat(lines)
                .extracting(StatementLine::modelId, StatementLine::path, StatementLine::amount)
                .containsExactly(
                        tuple("derived", List.of("derived"), d("60.00")),
                        tuple("base", List.of("derived", "left", "base"), d("10.00")),
                        tuple("base", List.of("derived", "right", "base"), d("10.00")),
                        tuple("left", List.of("derived", "left"), d("10.00")),
                        tuple("right", List.of("derived", "right"), d("10.00")));
    }

    @Test
    void aMakerOfBothTheModelAndItsParentSeesBothHops() {
        Map<String, ModelInfo> models =
                models(model("tuned", "K", new Parent("base", d("0.40"))), model("base", "K"));
        List<UsageRow> usage = List.of(revenue("tuned", nov(1), COMMERCIAL, "USD", "10.00"));

        List<StatementLine> lines =
                SettlementEngine.settle(
                        NOVEMBER,
                        usage,
                        List.of(),
                        List.of(agreement("a1", "K", null, new RevenueShare(BigDecimal.ONE))),
                        models);

        assertThat(lines)
                .extracting(StatementLine::modelId, StatementLine::kind, StatementLine::amount)
                .containsExactly(
                        tuple("base", LineKind.UPSTREAM_ROYALTY, d("4.00")),
                        tuple("tuned", LineKind.ROYALTY, d("6.00")));
    }

    @Test
    void anUnregisteredParentIsAnError() {
        Map<String, ModelInfo> models =
                models(model("derived", "K", new Parent("ghost", d("0.10"))));
        List<UsageRow> usage = List.of(revenue("derived", nov(1), COMMERCIAL, "USD", "10.00"));
        List<Agreement> agreements =
                List.of(agreement("a1", "K", null, new RevenueShare(d("0.5"))));

        assertThatThrownBy(
                        () ->
                                SettlementEngine.settle(
                                        NOVEMBER, usage, List.of(), agreements, models))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("derived")
                .hasMessageContaining("ghost");
    }

    @Test
    void aLineageCycleIsAnError() {
        Map<String, ModelInfo> models =
                models(
                        model("a", "K", new Parent("b", d("0.10"))),
                        model("b", "K", new Parent("a", d("0.10"))));
        List<UsageRow> usage = List.of(revenue("a", nov(1), COMMERCIAL, "USD", "10.00"));
        List<Agreement> agreements =
                List.of(agreement("a1", "K", null, new RevenueShare(d("0.5"))));

        assertThatThrownBy(
                        () ->
                                SettlementEngine.settle(
                                        NOVEMBER, usage, List.of(), agreements, models))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cycle");
    }

    @Test
    void parentSharesAboveOneAreRejected() {
        assertThatThrownBy(
                        () -> model("m", "K", new Parent("p", d("0.6")), new Parent("q", d("0.5"))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> model("m", "K", new Parent("m", d("0.1"))))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
