package dev.fairshare.settlement.engine;

import static dev.fairshare.settlement.engine.Fixtures.NOVEMBER;
import static dev.fairshare.settlement.engine.Fixtures.OCTOBER;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Random but consistent settlement inputs: up to 6 models whose parents always have a lower index
 * (so the lineage is acyclic, at most 5 hops deep, with diamonds, and at most two parents of share
 * at most 0.50 each, so shares sum to at most 1), agreements of both kinds with optional guarantees
 * and validity windows around October and November 2026, and usage rows for November plus settled
 * (possibly none) and late usage for October.
 */
final class Worlds {

    record World(
            Map<String, ModelInfo> models,
            List<Agreement> agreements,
            List<UsageRow> november,
            List<UsageRow> octoberSettled,
            List<UsageRow> octoberLate) {}

    private static final LocalDate EARLIEST_START = LocalDate.of(2026, 9, 20);

    private Worlds() {}

    static Arbitrary<World> worlds() {
        return models().flatMap(Worlds::world);
    }

    private static Arbitrary<World> world(Map<String, ModelInfo> models) {
        List<String> ids = new ArrayList<>(models.keySet());
        return Combinators.combine(
                        agreements(new ArrayList<>(models.values())),
                        usage(NOVEMBER, ids, 1),
                        usage(OCTOBER, ids, 0),
                        usage(OCTOBER, ids, 1))
                .as(
                        (agreements, nov, settled, late) ->
                                new World(models, agreements, nov, settled, late));
    }

    private static Arbitrary<Map<String, ModelInfo>> models() {
        return Arbitraries.integers().between(1, 6).flatMap(Worlds::models);
    }

    private static Arbitrary<Map<String, ModelInfo>> models(int count) {
        List<Arbitrary<ModelInfo>> models =
                IntStream.range(0, count).mapToObj(Worlds::model).toList();
        return Combinators.combine(models).as(Worlds::byId);
    }

    private static Map<String, ModelInfo> byId(List<ModelInfo> models) {
        Map<String, ModelInfo> byId = new TreeMap<>();
        models.forEach(model -> byId.put(model.id(), model));
        return byId;
    }

    private static Arbitrary<ModelInfo> model(int index) {
        Arbitrary<List<Parent>> parents = Arbitraries.just(List.of());
        if (index > 0) {
            parents =
                    Combinators.combine(
                                    Arbitraries.integers().between(0, index - 1).set().ofMaxSize(2),
                                    decimals("0", "0.50", 2).list().ofSize(2))
                            .as(Worlds::parents);
        }
        return Combinators.combine(
                        Arbitraries.of("k1", "k2", "k3"), Arbitraries.of(true, false), parents)
                .as(
                        (maker, commercial, list) ->
                                new ModelInfo("m" + index, maker, commercial, list));
    }

    private static List<Parent> parents(Set<Integer> indices, List<BigDecimal> shares) {
        List<Parent> parents = new ArrayList<>();
        for (int index : indices.stream().sorted().toList()) {
            parents.add(new Parent("m" + index, shares.get(parents.size())));
        }
        return parents;
    }

    private static Arbitrary<List<Agreement>> agreements(List<ModelInfo> models) {
        return Arbitraries.integers().between(1, 6).flatMap(count -> agreements(count, models));
    }

    private static Arbitrary<List<Agreement>> agreements(int count, List<ModelInfo> models) {
        List<Arbitrary<Agreement>> agreements =
                IntStream.range(0, count).mapToObj(i -> agreement("a" + i, models)).toList();
        return Combinators.combine(agreements).as(List::copyOf);
    }

    /** An agreement of a model's maker, for that model or for all the maker's models. */
    private static Arbitrary<Agreement> agreement(String id, List<ModelInfo> models) {
        return Combinators.combine(
                        Arbitraries.of(models),
                        Arbitraries.of(true, false),
                        platforms(),
                        currencies(),
                        Arbitraries.integers().between(0, 60),
                        Arbitraries.integers().between(1, 60).injectNull(0.4),
                        Arbitraries.oneOf(revenueShares(), perUnits()),
                        decimals("0", "100", 2).injectNull(0.5))
                .as(
                        (model, allModels, platform, currency, start, days, terms, guarantee) -> {
                            LocalDate from = EARLIEST_START.plusDays(start);
                            LocalDate to = days == null ? null : from.plusDays(days);
                            String modelId = allModels ? null : model.id();
                            return new Agreement(
                                    id,
                                    model.makerId(),
                                    platform,
                                    modelId,
                                    currency,
                                    from,
                                    to,
                                    terms,
                                    guarantee);
                        });
    }

    private static Arbitrary<Terms> revenueShares() {
        return decimals("0", "1", 4).map(RevenueShare::new);
    }

    private static Arbitrary<Terms> perUnits() {
        return Combinators.combine(
                        Arbitraries.of("tokens", "requests"),
                        Arbitraries.of("1", "3", "7", "1000", "1000000").map(BigDecimal::new),
                        Arbitraries.integers().between(1, 1_500_000).list().ofMaxSize(2),
                        decimals("0", "2", 4).list().ofSize(3))
                .as(Worlds::perUnit);
    }

    /** Tiers whose bounds grow by {@code steps}, then an open-ended tier. */
    private static Terms perUnit(
            String metric, BigDecimal unitSize, List<Integer> steps, List<BigDecimal> prices) {
        List<Tier> tiers = new ArrayList<>();
        BigDecimal upTo = BigDecimal.ZERO;
        for (int step : steps) {
            upTo = upTo.add(BigDecimal.valueOf(step));
            tiers.add(new Tier(upTo, prices.get(tiers.size())));
        }
        tiers.add(new Tier(null, prices.get(tiers.size())));
        return new PerUnit(metric, unitSize, tiers);
    }

    private static Arbitrary<List<UsageRow>> usage(
            YearMonth period, List<String> modelIds, int minRows) {
        Arbitrary<UsageRow> row =
                Combinators.combine(
                                platforms(),
                                Arbitraries.of(modelIds),
                                Arbitraries.integers().between(1, period.lengthOfMonth()),
                                Arbitraries.of(CustomerType.class),
                                currencies(),
                                Arbitraries.longs().between(0, 1000),
                                decimals("0", "100", 4),
                                units())
                        .as(
                                (platform,
                                        model,
                                        day,
                                        customerType,
                                        currency,
                                        events,
                                        revenue,
                                        units) ->
                                        new UsageRow(
                                                platform,
                                                model,
                                                period.atDay(day),
                                                customerType,
                                                currency,
                                                events,
                                                revenue,
                                                units));
        return row.list().ofMinSize(minRows).ofMaxSize(20);
    }

    /** Tokens and requests, each sometimes missing. */
    private static Arbitrary<Map<String, BigDecimal>> units() {
        return Combinators.combine(
                        decimals("0", "1500000", 1).injectNull(0.2),
                        Arbitraries.longs().between(0, 1000).injectNull(0.3))
                .as(Worlds::units);
    }

    private static Map<String, BigDecimal> units(BigDecimal tokens, Long requests) {
        Map<String, BigDecimal> units = new HashMap<>();
        if (tokens != null) {
            units.put("tokens", tokens);
        }
        if (requests != null) {
            units.put("requests", BigDecimal.valueOf(requests));
        }
        return units;
    }

    private static Arbitrary<BigDecimal> decimals(String min, String max, int scale) {
        return Arbitraries.bigDecimals()
                .between(new BigDecimal(min), new BigDecimal(max))
                .ofScale(scale);
    }

    private static Arbitrary<String> platforms() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.just("p1")), Tuple.of(1, Arbitraries.just("p2")));
    }

    private static Arbitrary<String> currencies() {
        return Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.just("USD")),
                Tuple.of(1, Arbitraries.just("EUR")),
                Tuple.of(1, Arbitraries.just("JPY")),
                Tuple.of(1, Arbitraries.just("BHD")));
    }
}
