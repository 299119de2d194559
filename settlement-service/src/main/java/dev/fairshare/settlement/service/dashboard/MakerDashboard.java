package dev.fairshare.settlement.service.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fairshare.settlement.engine.LineKind;
import dev.fairshare.settlement.engine.StatementLine;
import dev.fairshare.settlement.registry.RegistryReplica;
import dev.fairshare.settlement.service.SettlementService;
import dev.fairshare.settlement.service.dashboard.DashboardViews.Amount;
import dev.fairshare.settlement.service.dashboard.DashboardViews.Earning;
import dev.fairshare.settlement.service.dashboard.DashboardViews.MakerPage;
import dev.fairshare.settlement.service.dashboard.DashboardViews.MakerView;
import dev.fairshare.settlement.service.dashboard.DashboardViews.Mismatch;
import dev.fairshare.settlement.service.dashboard.DashboardViews.Period;
import dev.fairshare.settlement.service.dashboard.DashboardViews.PeriodTotal;
import dev.fairshare.settlement.service.dashboard.DashboardViews.Uncovered;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A maker's page: what it has earned so far this period, its earnings per period (the chart and the
 * totals, each linked to its lines), where the selected period's money comes from, its models'
 * lineage, names and proposals, its revenue pools, and its usage that no agreement covers or that
 * came in another currency than its agreement's. Every number is the maker's own, from the same
 * statements as the API's.
 */
@ApplicationScoped
public class MakerDashboard {
    @Inject SettlementService settlement;

    @Inject RegistryReplica registry;

    @Inject MakerModels models;

    @Inject PoolDashboard pools;

    @Inject ObjectMapper mapper;

    /** The page of {@code makerId}, signed in as {@code user}, with {@code selected}'s sources. */
    public MakerView view(String user, String makerId, YearMonth selected) {
        YearMonth current = YearMonth.now(ZoneOffset.UTC);
        Map<String, String> platformNames = registry.platformNames();
        Map<YearMonth, SettlementService.Statement> statements = statements(current, selected);
        List<SettlementService.Uncovered> uncovered = settlement.uncovered(null);
        MakerPage page =
                new MakerPage(
                        user,
                        makerId,
                        registry.makerNames().getOrDefault(makerId, makerId),
                        selected.toString(),
                        periods(statements.keySet(), selected),
                        accrual(statements.get(current), makerId),
                        current.toString(),
                        chart(statements, makerId, platformNames),
                        totals(statements.values(), makerId),
                        earnings(statements.get(selected), makerId, platformNames),
                        models.lineage(makerId),
                        unlicensed(uncovered, makerId, platformNames),
                        mismatches(makerId, platformNames),
                        models.names(makerId, platformNames),
                        models.proposals(makerId, platformNames));
        return new MakerView(
                page, pools.maker(makerId, statements.values(), uncovered, platformNames));
    }

    /**
     * Every period's statement once, oldest first (with the current and the selected period): the
     * chart, the totals and the selected period's sources all read these.
     */
    private Map<YearMonth, SettlementService.Statement> statements(
            YearMonth current, YearMonth selected) {
        TreeSet<YearMonth> all = new TreeSet<>();
        settlement.periods().forEach(p -> all.add(p.period()));
        all.add(current);
        all.add(selected);
        Map<YearMonth, SettlementService.Statement> statements = new TreeMap<>();
        for (YearMonth p : all) {
            statements.put(p, settlement.statement(p));
        }
        return statements;
    }

    /** The period choices, newest first. */
    private static List<Period> periods(Iterable<YearMonth> oldestFirst, YearMonth selected) {
        List<Period> out = new ArrayList<>();
        for (YearMonth p : oldestFirst) {
            out.add(0, new Period(p.toString(), null, null, p.equals(selected)));
        }
        return out;
    }

    /** What the maker has earned so far in the current period, per currency. */
    private static List<Amount> accrual(SettlementService.Statement current, String makerId) {
        List<Amount> out = new ArrayList<>();
        byCurrency(mine(current.lines(), makerId))
                .forEach(
                        (cur, amount) ->
                                out.add(
                                        new Amount(
                                                cur, Money.format(amount, cur), "accrual-" + cur)));
        return out;
    }

    /** Each period's total per currency, oldest first, linked to its lines. */
    private static List<PeriodTotal> totals(
            Iterable<SettlementService.Statement> statements, String makerId) {
        List<PeriodTotal> out = new ArrayList<>();
        for (SettlementService.Statement s : statements) {
            byCurrency(mine(s.lines(), makerId))
                    .forEach(
                            (cur, amount) ->
                                    out.add(
                                            new PeriodTotal(
                                                    s.period().toString(),
                                                    s.status(),
                                                    cur,
                                                    Money.format(amount, cur),
                                                    "total-" + s.period() + "-" + cur,
                                                    "/dashboard/lines/"
                                                            + s.period()
                                                            + "?currency="
                                                            + cur)));
        }
        return out;
    }

    /**
     * The selected period's lines summed by kind, model, source model, platform and currency, in
     * the order of their first line, each linked to its lines.
     */
    private static List<Earning> earnings(
            SettlementService.Statement s, String makerId, Map<String, String> platformNames) {
        record Key(
                LineKind kind,
                String modelId,
                String sourceModelId,
                String platformId,
                String currency) {}
        Map<Key, BigDecimal> sums = new LinkedHashMap<>();
        for (StatementLine l : mine(s.lines(), makerId)) {
            sums.merge(
                    new Key(l.kind(), l.modelId(), l.sourceModelId(), l.platformId(), l.currency()),
                    l.amount(),
                    BigDecimal::add);
        }
        List<Earning> out = new ArrayList<>();
        sums.forEach(
                (k, amount) ->
                        out.add(
                                new Earning(
                                        k.kind().name(),
                                        k.modelId(),
                                        k.sourceModelId(),
                                        platformNames.getOrDefault(k.platformId(), k.platformId()),
                                        k.currency(),
                                        Money.format(amount, k.currency()),
                                        "/dashboard/lines/"
                                                + s.period()
                                                + "?kind="
                                                + k.kind()
                                                + "&platformId="
                                                + encode(k.platformId())
                                                + "&currency="
                                                + k.currency()
                                                + optional("modelId", k.modelId())
                                                + optional("sourceModelId", k.sourceModelId()))));
        return out;
    }

    /** The maker's usage that no agreement covers, every period. */
    private static List<Uncovered> unlicensed(
            List<SettlementService.Uncovered> uncovered,
            String makerId,
            Map<String, String> platformNames) {
        return uncovered.stream()
                .filter(u -> makerId.equals(u.usage().makerId()))
                .map(u -> Uncovered.of(u, platformNames))
                .toList();
    }

    /** The maker's usage in another currency than its agreement's, every period. */
    private List<Mismatch> mismatches(String makerId, Map<String, String> platformNames) {
        return settlement.currencyMismatches(null).stream()
                .filter(m -> makerId.equals(m.usage().makerId()))
                .map(m -> Mismatch.of(m, platformNames))
                .toList();
    }

    /**
     * The chart's data: the periods on the x axis, one series per platform and currency, stacked by
     * currency. JSON for a {@code <script>} element: no {@code "</"} appears in it.
     */
    private String chart(
            Map<YearMonth, SettlementService.Statement> statements,
            String makerId,
            Map<String, String> platformNames) {
        Map<String, Map<YearMonth, BigDecimal>> stacks = new TreeMap<>();
        for (SettlementService.Statement s : statements.values()) {
            for (StatementLine l : mine(s.lines(), makerId)) {
                String name =
                        platformNames.getOrDefault(l.platformId(), l.platformId())
                                + " ("
                                + l.currency()
                                + ")";
                stacks.computeIfAbsent(name, k -> new TreeMap<>())
                        .merge(s.period(), l.amount(), BigDecimal::add);
            }
        }
        ObjectNode json = mapper.createObjectNode();
        ArrayNode x = json.putArray("periods");
        statements.keySet().forEach(p -> x.add(p.toString()));
        ArrayNode series = json.putArray("series");
        stacks.forEach(
                (name, byPeriod) -> {
                    ObjectNode s = series.addObject();
                    s.put("name", name);
                    s.put("stack", name.substring(name.lastIndexOf('(') + 1, name.length() - 1));
                    ArrayNode data = s.putArray("data");
                    statements
                            .keySet()
                            .forEach(
                                    p ->
                                            data.add(
                                                    byPeriod.getOrDefault(p, BigDecimal.ZERO)
                                                            .toPlainString()));
                });
        try {
            return mapper.writeValueAsString(json).replace("<", "\\u003c");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<StatementLine> mine(List<StatementLine> lines, String makerId) {
        return lines.stream().filter(l -> makerId.equals(l.makerId())).toList();
    }

    private static Map<String, BigDecimal> byCurrency(List<StatementLine> lines) {
        Map<String, BigDecimal> out = new TreeMap<>();
        lines.forEach(l -> out.merge(l.currency(), l.amount(), BigDecimal::add));
        return out;
    }

    private static String optional(String parameter, String value) {
        return value == null ? "" : "&" + parameter + "=" + encode(value);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
