package dev.fairshare.settlement.engine;

import static dev.fairshare.settlement.engine.Fixtures.d;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The worked example of issue 23 by hand: platform streamvoice, October, pool 1,000.00 USD,
 * makerShare 0.50 (500.00 to share), metric requests. A and B have POOL_SHARE agreements, C none.
 * s1 used A 90 times; s2 used B 10 times; s3 used A 5 and C 15 times (120 requests in all).
 */
class PoolsTest {
    static final YearMonth OCTOBER = YearMonth.of(2026, 10);
    static final YearMonth NOVEMBER = YearMonth.of(2026, 11);
    static final String PF = "streamvoice";

    static final Map<String, ModelInfo> MODELS =
            Fixtures.models(
                    Fixtures.model("a", "maker-a"),
                    Fixtures.model("b", "maker-b"),
                    Fixtures.model("c", "maker-c"));

    static Agreement pool(String id, String maker, String model, BigDecimal guarantee) {
        return new Agreement(
                id,
                maker,
                PF,
                model,
                "USD",
                LocalDate.of(2026, 1, 1),
                null,
                new PoolShare(),
                guarantee);
    }

    static final List<Agreement> AGREEMENTS =
            List.of(pool("pool-a", "maker-a", "a", null), pool("pool-b", "maker-b", "b", null));

    static PooledUsage use(String subscriber, String model, long requests) {
        return new PooledUsage(
                PF,
                model,
                subscriber,
                OCTOBER,
                CustomerType.COMMERCIAL,
                requests,
                Map.of("requests", BigDecimal.valueOf(requests)));
    }

    static final List<PooledUsage> OCTOBER_USAGE =
            List.of(use("s1", "a", 90), use("s2", "b", 10), use("s3", "a", 5), use("s3", "c", 15));

    static Pool pool(PoolMethod method) {
        return new Pool(PF, OCTOBER, "USD", d("1000.00"), d("0.50"), "requests", method, Map.of());
    }

    static List<StatementLine> october(PoolMethod method, List<Agreement> agreements) {
        return pools(
                OCTOBER,
                List.of(new PoolPeriod(pool(method), OCTOBER_USAGE)),
                List.of(),
                agreements,
                MODELS);
    }

    /** The statement of {@code period} with these pools and late pools, and no other usage. */
    static List<StatementLine> pools(
            YearMonth period,
            List<PoolPeriod> pools,
            List<LatePool> late,
            List<Agreement> agreements,
            Map<String, ModelInfo> models) {
        return SettlementEngine.settle(
                period, List.of(), List.of(), pools, late, agreements, models);
    }

    static BigDecimal invoice(List<StatementLine> lines) {
        return SettlementEngine.invoices(lines).get(PF).get("USD");
    }

    @Test
    void proRata() {
        List<StatementLine> lines = october(PoolMethod.PRO_RATA, AGREEMENTS);

        // A: 95/120 × 500 = 395.8333…; B: 10/120 × 500 = 41.6666…; C: 15/120 × 500 = 62.50 unpaid
        assertThat(lines)
                .extracting(
                        StatementLine::makerId,
                        StatementLine::modelId,
                        StatementLine::kind,
                        StatementLine::agreementId)
                .containsExactly(
                        tuple("maker-a", "a", LineKind.POOL_ROYALTY, "pool-a"),
                        tuple("maker-b", "b", LineKind.POOL_ROYALTY, "pool-b"));
        assertThat(lines.get(0).amount()).isEqualByComparingTo("395.83");
        assertThat(lines.get(1).amount()).isEqualByComparingTo("41.67");
        assertThat(lines.get(0).basis()).isEqualByComparingTo("95");
        assertThat(lines.get(1).basis()).isEqualByComparingTo("10");
        assertThat(invoice(lines)).isEqualByComparingTo("437.50");

        List<UncoveredUsage> unpaid =
                Coverage.unpaidPoolShares(
                        new PoolPeriod(pool(PoolMethod.PRO_RATA), OCTOBER_USAGE),
                        AGREEMENTS,
                        MODELS);
        assertThat(unpaid).hasSize(1);
        assertThat(unpaid.get(0).modelId()).isEqualTo("c");
        assertThat(unpaid.get(0).makerId()).isEqualTo("maker-c");
        assertThat(unpaid.get(0).events()).isEqualTo(15);
        assertThat(unpaid.get(0).wouldHaveEarned()).isEqualByComparingTo("62.50");
    }

    @Test
    void userCentric() {
        List<StatementLine> lines = october(PoolMethod.USER_CENTRIC, AGREEMENTS);

        // 500 / 3 subscribers = 166.6666… each; A: s1's + 5/20 of s3's = 208.3333…; B: s2's
        // 166.6666…; C: 15/20 of s3's = 125.00 unpaid. The exact lines sum to 374.9999…, which
        // rounds to 375.00: the cent goes to B, whose remainder (0.0066…) is the larger.
        assertThat(lines).extracting(StatementLine::modelId).containsExactly("a", "b");
        assertThat(lines.get(0).exactAmount().setScale(10, java.math.RoundingMode.HALF_EVEN))
                .isEqualByComparingTo("208.3333333333");
        assertThat(lines.get(0).amount()).isEqualByComparingTo("208.33");
        assertThat(lines.get(1).amount()).isEqualByComparingTo("166.67");
        assertThat(invoice(lines)).isEqualByComparingTo("375.00");
        assertThat(
                        Coverage.unpaidPoolShares(
                                        new PoolPeriod(
                                                pool(PoolMethod.USER_CENTRIC), OCTOBER_USAGE),
                                        AGREEMENTS,
                                        MODELS)
                                .get(0)
                                .wouldHaveEarned())
                .isEqualByComparingTo("125.00");
    }

    @Test
    void userCentricByFeesSplitsEachSubscribersFee() {
        // fees s1 10, s2 10, s3 20 (40 in all): s1 125.00 to A, s2 125.00 to B, s3 250.00 of
        // which 5/20 (62.50) to A and 15/20 (187.50) to C, unpaid
        Pool byFees =
                new Pool(
                        PF,
                        OCTOBER,
                        "USD",
                        d("1000.00"),
                        d("0.50"),
                        "requests",
                        PoolMethod.USER_CENTRIC,
                        Map.of("s1", d("10"), "s2", d("10"), "s3", d("20"), "s4", d("99")));
        List<StatementLine> lines =
                pools(
                        OCTOBER,
                        List.of(new PoolPeriod(byFees, OCTOBER_USAGE)),
                        List.of(),
                        AGREEMENTS,
                        MODELS);
        assertThat(lines)
                .extracting(StatementLine::amount)
                .containsExactly(d("187.50"), d("125.00"));
        assertThat(
                        Coverage.unpaidPoolShares(
                                        new PoolPeriod(byFees, OCTOBER_USAGE), AGREEMENTS, MODELS)
                                .get(0)
                                .wouldHaveEarned())
                .isEqualByComparingTo("187.50");
    }

    @Test
    void latePooledUsageReRunsThePoolAndSettlesEveryModelsDifference() {
        // s2 uses B 30 more times after October closed: 150 requests in all. A 95/150 × 500 =
        // 316.6666… (was 395.8333…: −79.1666…), B 40/150 × 500 = 133.3333… (was 41.6666…:
        // +91.6666…), C 50.00 (was 62.50). November pays the differences: −79.1666… and
        // +91.6666… sum to 12.50 (what C's unpaid part lost); rounded, the cent goes to B's larger
        // remainder: A −79.17, B +91.67.
        LatePool late =
                new LatePool(
                        pool(PoolMethod.PRO_RATA),
                        OCTOBER_USAGE,
                        List.of(use("s2", "b", 30)),
                        Map.of());
        List<StatementLine> november =
                pools(NOVEMBER, List.of(), List.of(late), AGREEMENTS, MODELS);
        assertThat(november)
                .extracting(
                        StatementLine::modelId,
                        StatementLine::kind,
                        StatementLine::amount,
                        StatementLine::adjustsPeriod)
                .containsExactly(
                        tuple("a", LineKind.LATE_ADJUSTMENT, d("-79.17"), OCTOBER),
                        tuple("b", LineKind.LATE_ADJUSTMENT, d("91.67"), OCTOBER));
        assertThat(november.get(1).basis()).isEqualByComparingTo("30");
        assertThat(invoice(november)).isEqualByComparingTo("12.50");

        // user-centric: s2 had used B already, so its part still goes wholly to B: no difference
        LatePool lateUserCentric =
                new LatePool(
                        pool(PoolMethod.USER_CENTRIC),
                        OCTOBER_USAGE,
                        List.of(use("s2", "b", 30)),
                        Map.of());
        assertThat(pools(NOVEMBER, List.of(), List.of(lateUserCentric), AGREEMENTS, MODELS))
                .isEmpty();
    }

    @Test
    void poolRoyaltiesCascadeUpTheLineage() {
        // A derives from base (maker-p, 20%): of A's 395.8333… the base's maker gets 79.1666… as
        // an upstream hop, A's maker keeps 316.6666…; rounded within the invoice of 437.50. At
        // scale 18, A's share is 395.833333333333333333, so A keeps …6664 against the hop's …6666
        // and B's 41.666666666666666667: the two missing cents go to B and the hop.
        Map<String, ModelInfo> models =
                Fixtures.models(
                        Fixtures.model("a", "maker-a", new Parent("base", d("0.2"))),
                        Fixtures.model("base", "maker-p"),
                        Fixtures.model("b", "maker-b"),
                        Fixtures.model("c", "maker-c"));
        List<StatementLine> lines =
                pools(
                        OCTOBER,
                        List.of(new PoolPeriod(pool(PoolMethod.PRO_RATA), OCTOBER_USAGE)),
                        List.of(),
                        AGREEMENTS,
                        models);
        assertThat(lines)
                .extracting(
                        StatementLine::makerId,
                        StatementLine::modelId,
                        StatementLine::kind,
                        StatementLine::sourceModelId,
                        StatementLine::path)
                .containsExactly(
                        tuple("maker-a", "a", LineKind.POOL_ROYALTY, "a", List.of("a")),
                        tuple("maker-b", "b", LineKind.POOL_ROYALTY, "b", List.of("b")),
                        tuple(
                                "maker-p",
                                "base",
                                LineKind.UPSTREAM_ROYALTY,
                                "a",
                                List.of("a", "base")));
        assertThat(lines)
                .extracting(StatementLine::amount)
                .containsExactly(d("316.66"), d("41.67"), d("79.17"));
        assertThat(invoice(lines)).isEqualByComparingTo("437.50");
    }

    @Test
    void aGuaranteeOnAPoolShareAgreementIsToppedUp() {
        // B's guarantee 100.00 a month: its pool royalty 41.6666… is topped up by 58.3333…
        List<Agreement> agreements =
                List.of(
                        pool("pool-a", "maker-a", "a", null),
                        pool("pool-b", "maker-b", "b", d("100.00")));
        List<StatementLine> lines = october(PoolMethod.PRO_RATA, agreements);
        assertThat(lines)
                .extracting(StatementLine::modelId, StatementLine::kind, StatementLine::amount)
                .containsExactly(
                        tuple("a", LineKind.POOL_ROYALTY, d("395.83")),
                        tuple("b", LineKind.POOL_ROYALTY, d("41.67")),
                        tuple("b", LineKind.MINIMUM_GUARANTEE_TOPUP, d("58.33")));
        assertThat(invoice(lines)).isEqualByComparingTo("495.83");
    }

    @Test
    void aPoolShareAgreementCoexistsWithARevenueShareOneForTheSameModel() {
        // A is rated 20% per event for its usage without a subscriber, and takes part in the pool
        // for its pooled usage: 20.00 of 100.00 revenue, plus 395.8333… from the pool
        List<Agreement> agreements = new ArrayList<>(AGREEMENTS);
        agreements.add(
                new Agreement(
                        "rs-a",
                        "maker-a",
                        PF,
                        "a",
                        "USD",
                        LocalDate.of(2026, 1, 1),
                        null,
                        new RevenueShare(d("0.20")),
                        null));
        UsageRow perEvent =
                new UsageRow(
                        PF,
                        "a",
                        OCTOBER.atDay(3),
                        CustomerType.COMMERCIAL,
                        "USD",
                        4,
                        d("100.00"),
                        Map.of("requests", d("4")));
        List<StatementLine> lines =
                SettlementEngine.settle(
                        OCTOBER,
                        List.of(perEvent),
                        List.of(),
                        List.of(new PoolPeriod(pool(PoolMethod.PRO_RATA), OCTOBER_USAGE)),
                        List.of(),
                        agreements,
                        MODELS);
        assertThat(lines)
                .extracting(StatementLine::agreementId, StatementLine::kind, StatementLine::amount)
                .containsExactly(
                        tuple("rs-a", LineKind.ROYALTY, d("20.00")),
                        tuple("pool-a", LineKind.POOL_ROYALTY, d("395.83")),
                        tuple("pool-b", LineKind.POOL_ROYALTY, d("41.67")));
        assertThat(new Coverage(OCTOBER, agreements, MODELS).uncovered(List.of(perEvent)))
                .isEmpty();
        assertThat(new Coverage(OCTOBER, agreements, MODELS).currencyMismatches(List.of(perEvent)))
                .isEmpty();
        // a POOL_SHARE agreement alone does not license usage rated per event
        assertThat(new Coverage(OCTOBER, AGREEMENTS, MODELS).uncovered(List.of(perEvent)))
                .extracting(UncoveredUsage::modelId, UncoveredUsage::wouldHaveEarned)
                .containsExactly(tuple("a", null));
    }

    @Test
    void aPoolWithoutUsageOfItsMetricIsUndistributed() {
        Pool characters =
                new Pool(
                        PF,
                        OCTOBER,
                        "USD",
                        d("1000.00"),
                        d("0.50"),
                        "characters",
                        PoolMethod.PRO_RATA,
                        Map.of());
        Pools.Split split = Pools.split(characters, OCTOBER_USAGE);
        assertThat(split.undistributed()).isEqualByComparingTo("500.00");
        assertThat(split.shares())
                .extracting(Pools.ModelShare::amount)
                .containsOnly(BigDecimal.ZERO);
    }
}
