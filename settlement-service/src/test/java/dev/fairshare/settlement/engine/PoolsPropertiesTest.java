package dev.fairshare.settlement.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Invariants of revenue pools over random pools: subscribers s0…s9 using models m0…m5 (m0…m3 with
 * POOL_SHARE agreements, m4 and m5 without; m1 derives from m0), random revenue, makers' share,
 * method and fees.
 */
class PoolsPropertiesTest {
    static final YearMonth PERIOD = YearMonth.of(2026, 10);
    static final String PF = "pf";
    static final List<String> MODEL_IDS = List.of("m0", "m1", "m2", "m3", "m4", "m5");

    /** Far below a cent: the bound of the scale-18 divisions' error on any share. */
    static final BigDecimal TOLERANCE = new BigDecimal("1E-14");

    static final Map<String, ModelInfo> MODELS;

    static {
        Map<String, ModelInfo> m = new HashMap<>();
        m.put("m0", new ModelInfo("m0", "k0", true, List.of()));
        m.put(
                "m1",
                new ModelInfo("m1", "k1", true, List.of(new Parent("m0", new BigDecimal("0.3")))));
        for (int i = 2; i < 6; i++) {
            m.put("m" + i, new ModelInfo("m" + i, "k" + i, true, List.of()));
        }
        MODELS = Map.copyOf(m);
    }

    static final List<Agreement> AGREEMENTS =
            List.of(
                    agreement("a0", "k0", "m0"),
                    agreement("a1", "k1", "m1"),
                    agreement("a2", "k2", "m2"),
                    agreement("a3", "k3", "m3"));

    static Agreement agreement(String id, String maker, String model) {
        return new Agreement(
                id, maker, PF, model, "USD", LocalDate.of(2026, 1, 1), null, new PoolShare(), null);
    }

    record World(Pool pool, List<PooledUsage> usage) {}

    @Provide
    Arbitrary<World> worlds() {
        Arbitrary<PooledUsage> use =
                Combinators.combine(
                                Arbitraries.integers().between(0, 9),
                                Arbitraries.of(MODEL_IDS),
                                Arbitraries.of(CustomerType.values()),
                                Arbitraries.bigDecimals()
                                        .between(BigDecimal.ZERO, new BigDecimal("100000"))
                                        .ofScale(2))
                        .as(
                                (s, model, type, volume) ->
                                        new PooledUsage(
                                                PF,
                                                model,
                                                "s" + s,
                                                PERIOD,
                                                type,
                                                1,
                                                Map.of("requests", volume)));
        Arbitrary<Map<String, BigDecimal>> fees =
                Arbitraries.maps(
                                Arbitraries.integers().between(0, 11).map(i -> "s" + i),
                                Arbitraries.bigDecimals()
                                        .between(BigDecimal.ZERO, new BigDecimal("50"))
                                        .ofScale(2))
                        .ofMaxSize(12);
        Arbitrary<Pool> pool =
                Combinators.combine(
                                Arbitraries.bigDecimals()
                                        .between(BigDecimal.ZERO, new BigDecimal("1000000"))
                                        .ofScale(2),
                                Arbitraries.bigDecimals()
                                        .between(BigDecimal.ZERO, BigDecimal.ONE)
                                        .ofScale(4),
                                Arbitraries.of(PoolMethod.values()),
                                fees,
                                Arbitraries.of(true, false))
                        .as(
                                (revenue, share, method, f, withFees) ->
                                        new Pool(
                                                PF,
                                                PERIOD,
                                                "USD",
                                                revenue,
                                                share,
                                                "requests",
                                                method,
                                                method == PoolMethod.USER_CENTRIC && withFees
                                                        ? f
                                                        : Map.of()));
        return Combinators.combine(pool, use.list().ofMaxSize(40)).as(World::new);
    }

    static List<StatementLine> settle(World w) {
        return SettlementEngine.settle(
                PERIOD,
                List.of(),
                List.of(),
                List.of(new PoolPeriod(w.pool(), w.usage())),
                List.of(),
                AGREEMENTS,
                MODELS);
    }

    static BigDecimal sum(List<BigDecimal> amounts) {
        return amounts.stream().reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    @Property
    void paidLinesPlusUnpaidPlusUndistributedAreTheMakersPartExactly(@ForAll("worlds") World w) {
        List<StatementLine> lines = settle(w);
        Pools.Split split = Pools.split(w.pool(), w.usage());
        BigDecimal paid = sum(lines.stream().map(StatementLine::exactAmount).toList());
        BigDecimal unpaid =
                sum(
                        Coverage.unpaidPoolShares(
                                        new PoolPeriod(w.pool(), w.usage()), AGREEMENTS, MODELS)
                                .stream()
                                .map(UncoveredUsage::wouldHaveEarned)
                                .toList());
        assertThat(paid.add(unpaid).add(split.undistributed()))
                .isEqualByComparingTo(w.pool().revenue().multiply(w.pool().makerShare()));
    }

    @Property
    void roundedLinesSumToTheRoundedTotal(@ForAll("worlds") World w) {
        List<StatementLine> lines = settle(w);
        BigDecimal exact = sum(lines.stream().map(StatementLine::exactAmount).toList());
        assertThat(sum(lines.stream().map(StatementLine::amount).toList()))
                .isEqualByComparingTo(exact.setScale(2, RoundingMode.HALF_EVEN));
        for (StatementLine line : lines) {
            assertThat(line.amount().subtract(line.exactAmount()).abs())
                    .isLessThan(new BigDecimal("0.01"));
        }
    }

    /**
     * Each model's share equals an independent computation of the method's definition at 60 digits:
     * PRO_RATA {@code whole × v_m / V}; USER_CENTRIC {@code Σ_s whole × w_s / W × v_sm / v_s} over
     * the subscribers with usage (weight 1, or the fee).
     */
    @Property
    void eachMethodSplitsAsDefined(@ForAll("worlds") World w) {
        Map<String, BigDecimal> expected = independent(w.pool(), w.usage());
        Map<String, BigDecimal> actual = new TreeMap<>();
        for (Pools.ModelShare s : Pools.split(w.pool(), w.usage()).shares()) {
            actual.merge(s.modelId(), s.amount(), BigDecimal::add);
        }
        for (String model : actual.keySet()) {
            assertThat(
                            actual.get(model)
                                    .subtract(expected.getOrDefault(model, BigDecimal.ZERO))
                                    .abs())
                    .as(model)
                    .isLessThan(TOLERANCE);
        }
    }

    @Property
    void aSubscriberOfUnlicensedModelsOnlyLeavesTheLicensedModelsProRataRatios(
            @ForAll("worlds") World w, @ForAll("unlicensedVolumes") List<BigDecimal> volumes) {
        Pool proRata =
                new Pool(
                        PF,
                        PERIOD,
                        "USD",
                        w.pool().revenue(),
                        w.pool().makerShare(),
                        "requests",
                        PoolMethod.PRO_RATA,
                        Map.of());
        List<PooledUsage> more = new ArrayList<>(w.usage());
        for (int i = 0; i < volumes.size(); i++) {
            more.add(
                    new PooledUsage(
                            PF,
                            i % 2 == 0 ? "m4" : "m5",
                            "newcomer",
                            PERIOD,
                            CustomerType.COMMERCIAL,
                            1,
                            Map.of("requests", volumes.get(i))));
        }
        Map<String, BigDecimal> before = licensed(Pools.split(proRata, w.usage()));
        Map<String, BigDecimal> after = licensed(Pools.split(proRata, more));
        for (String x : before.keySet()) {
            for (String y : before.keySet()) {
                // a_x / a_y == a'_x / a'_y, cross-multiplied, to the divisions' precision
                BigDecimal cross =
                        before.get(x)
                                .multiply(after.get(y))
                                .subtract(before.get(y).multiply(after.get(x)));
                BigDecimal scale = before.get(x).add(before.get(y)).max(BigDecimal.ONE);
                assertThat(cross.abs()).isLessThan(TOLERANCE.multiply(scale).multiply(scale));
            }
        }
    }

    @Provide
    Arbitrary<List<BigDecimal>> unlicensedVolumes() {
        return Arbitraries.bigDecimals()
                .between(new BigDecimal("0.01"), new BigDecimal("100000"))
                .ofScale(2)
                .list()
                .ofMinSize(1)
                .ofMaxSize(4);
    }

    private static Map<String, BigDecimal> licensed(Pools.Split split) {
        Map<String, BigDecimal> out = new TreeMap<>();
        for (Pools.ModelShare s : split.shares()) {
            if (!s.modelId().equals("m4") && !s.modelId().equals("m5")) {
                out.merge(s.modelId(), s.amount(), BigDecimal::add);
            }
        }
        return out;
    }

    private static Map<String, BigDecimal> independent(Pool pool, List<PooledUsage> usage) {
        MathContext mc = new MathContext(60);
        BigDecimal whole = pool.makersPart();
        Map<String, Map<String, BigDecimal>> bySubscriber = new TreeMap<>();
        Map<String, BigDecimal> byModel = new TreeMap<>();
        for (PooledUsage u : usage) {
            BigDecimal v = u.metric("requests");
            bySubscriber
                    .computeIfAbsent(u.subscriberId(), k -> new TreeMap<>())
                    .merge(u.modelId(), v, BigDecimal::add);
            byModel.merge(u.modelId(), v, BigDecimal::add);
        }
        Map<String, BigDecimal> out = new TreeMap<>();
        if (pool.method() == PoolMethod.PRO_RATA) {
            BigDecimal total = sum(new ArrayList<>(byModel.values()));
            if (total.signum() > 0) {
                byModel.forEach((m, v) -> out.put(m, whole.multiply(v).divide(total, mc)));
            }
            return out;
        }
        Map<String, BigDecimal> weight = new TreeMap<>();
        bySubscriber.forEach(
                (s, models) -> {
                    if (sum(new ArrayList<>(models.values())).signum() > 0) {
                        weight.put(
                                s,
                                pool.fees().isEmpty()
                                        ? BigDecimal.ONE
                                        : pool.fees().getOrDefault(s, BigDecimal.ZERO));
                    }
                });
        BigDecimal totalWeight = sum(new ArrayList<>(weight.values()));
        if (totalWeight.signum() == 0) {
            return out;
        }
        weight.forEach(
                (s, w) -> {
                    Map<String, BigDecimal> models = bySubscriber.get(s);
                    BigDecimal used = sum(new ArrayList<>(models.values()));
                    BigDecimal part = whole.multiply(w).divide(totalWeight, mc);
                    models.forEach(
                            (m, v) ->
                                    out.merge(
                                            m, part.multiply(v).divide(used, mc), BigDecimal::add));
                });
        return out;
    }
}
