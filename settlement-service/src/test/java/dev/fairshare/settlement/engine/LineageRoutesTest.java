package dev.fairshare.settlement.engine;

import static dev.fairshare.settlement.engine.CustomerType.COMMERCIAL;
import static dev.fairshare.settlement.engine.Fixtures.NOVEMBER;
import static dev.fairshare.settlement.engine.Fixtures.OCTOBER;
import static dev.fairshare.settlement.engine.Fixtures.agreement;
import static dev.fairshare.settlement.engine.Fixtures.d;
import static dev.fairshare.settlement.engine.Fixtures.model;
import static dev.fairshare.settlement.engine.Fixtures.models;
import static dev.fairshare.settlement.engine.Fixtures.nov;
import static dev.fairshare.settlement.engine.Fixtures.revenue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A lineage diamond: q derives from ft (50%) and from base (20%), and ft from base (50%), so base
 * is reached by two routes. Every hop is its own line, named by its route.
 */
class LineageRoutesTest {

    private static final Map<String, ModelInfo> DIAMOND =
            models(
                    model("base", "meta"),
                    model("ft", "tuner", new Parent("base", d("0.50"))),
                    model(
                            "q",
                            "quant",
                            new Parent("ft", d("0.50")),
                            new Parent("base", d("0.20"))));
    private static final Agreement Q = agreement("a1", "quant", "q", new RevenueShare(d("1")));

    @Test
    void anAncestorReachedByTwoRoutesGetsALinePerRoute() {
        List<StatementLine> lines =
                SettlementEngine.settle(
                        NOVEMBER,
                        List.of(revenue("q", nov(3), COMMERCIAL, "USD", "100.00")),
                        List.of(),
                        List.of(Q),
                        DIAMOND);

        // R = 100: ft gets 50 and passes 25 on to base; base gets 20 directly; q keeps 30
        assertThat(lines)
                .extracting(
                        StatementLine::makerId,
                        StatementLine::kind,
                        StatementLine::path,
                        StatementLine::basis,
                        StatementLine::amount)
                .containsExactly(
                        tuple(
                                "meta",
                                LineKind.UPSTREAM_ROYALTY,
                                List.of("q", "base"),
                                d("100.00"),
                                d("20.00")),
                        tuple(
                                "meta",
                                LineKind.UPSTREAM_ROYALTY,
                                List.of("q", "ft", "base"),
                                d("50.0000"),
                                d("25.00")),
                        tuple("quant", LineKind.ROYALTY, List.of("q"), d("100.00"), d("30.00")),
                        tuple(
                                "tuner",
                                LineKind.UPSTREAM_ROYALTY,
                                List.of("q", "ft"),
                                d("100.00"),
                                d("25.00")));
        assertThat(lines).allSatisfy(line -> assertThat(line.sourceModelId()).isEqualTo("q"));
    }

    @Test
    void lateHopsKeepTheirKindAndRoute() {
        LateUsage late =
                new LateUsage(
                        OCTOBER,
                        List.of(),
                        List.of(revenue("q", OCTOBER.atDay(7), COMMERCIAL, "USD", "10.00")));

        List<StatementLine> lines =
                SettlementEngine.settle(NOVEMBER, List.of(), List.of(late), List.of(Q), DIAMOND);

        assertThat(lines)
                .extracting(
                        StatementLine::makerId,
                        StatementLine::kind,
                        StatementLine::path,
                        StatementLine::amount,
                        StatementLine::adjustsPeriod)
                .containsExactly(
                        tuple(
                                "meta",
                                LineKind.LATE_ADJUSTMENT,
                                List.of("q", "base"),
                                d("2.00"),
                                OCTOBER),
                        tuple(
                                "meta",
                                LineKind.LATE_ADJUSTMENT,
                                List.of("q", "ft", "base"),
                                d("2.50"),
                                OCTOBER),
                        tuple("quant", LineKind.LATE_ADJUSTMENT, List.of("q"), d("3.00"), OCTOBER),
                        tuple(
                                "tuner",
                                LineKind.LATE_ADJUSTMENT,
                                List.of("q", "ft"),
                                d("2.50"),
                                OCTOBER));
    }
}
