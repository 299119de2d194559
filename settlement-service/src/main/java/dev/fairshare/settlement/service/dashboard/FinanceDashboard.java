package dev.fairshare.settlement.service.dashboard;

import dev.fairshare.settlement.engine.SettlementEngine;
import dev.fairshare.settlement.engine.StatementLine;
import dev.fairshare.settlement.registry.RegistryReplica;
import dev.fairshare.settlement.service.SettlementService;
import dev.fairshare.settlement.service.dashboard.DashboardViews.FinancePage;
import dev.fairshare.settlement.service.dashboard.DashboardViews.FinanceView;
import dev.fairshare.settlement.service.dashboard.DashboardViews.Mismatch;
import dev.fairshare.settlement.service.dashboard.DashboardViews.PartyAmount;
import dev.fairshare.settlement.service.dashboard.DashboardViews.Period;
import dev.fairshare.settlement.service.dashboard.DashboardViews.Quarantined;
import dev.fairshare.settlement.service.dashboard.DashboardViews.Unattributed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The finance page of a period: every period with its state (and a close form for the open ones),
 * the period's invoices and payouts, its revenue pools and currency-mismatched usage, and
 * usage-service's unattributed usage and quarantined records, read with the finance user's own
 * token. The notices of a close are made from fixed codes ({@link Notices}), never from the query.
 */
@ApplicationScoped
public class FinanceDashboard {
    @Inject SettlementService settlement;

    @Inject RegistryReplica registry;

    @Inject PoolDashboard pools;

    @Inject Peers peers;

    /** One of usage-service's lists, or why it could not be read. */
    private record Report<T>(List<T> items, String error) {}

    /**
     * The page of {@code selected} for {@code user}, whose {@code token} reads usage-service's
     * reports; {@code message} and {@code error} are the codes of a close's outcome, or null.
     */
    public FinanceView view(
            String user, String token, YearMonth selected, String message, String error) {
        SettlementService.Statement s = settlement.statement(selected);
        Map<String, String> platformNames = registry.platformNames();
        Map<String, String> makerNames = registry.makerNames();
        Report<Unattributed> unattributed = usage(() -> peers.unattributed(token));
        Report<Quarantined> quarantined = usage(() -> peers.quarantine(token));
        List<Mismatch> mismatches =
                settlement.currencyMismatches(selected).stream()
                        .map(m -> Mismatch.of(m, platformNames))
                        .toList();
        FinancePage page =
                new FinancePage(
                        user,
                        selected.toString(),
                        s.status(),
                        periods(selected),
                        invoices(s.lines(), platformNames),
                        payouts(s.lines(), makerNames),
                        "/dashboard/finance/settlement.csv?period=" + selected,
                        unattributed.items(),
                        unattributed.error(),
                        quarantined.items(),
                        quarantined.error(),
                        mismatches,
                        Notices.closed(message, selected, s, mismatches.size()),
                        Notices.closeRefused(error));
        return new FinanceView(page, pools.finance(selected, platformNames, makerNames));
    }

    /** Every period (see SettlementService) and the selected one, newest first. */
    private List<Period> periods(YearMonth selected) {
        Map<YearMonth, Period> periods = new TreeMap<>();
        settlement
                .periods()
                .forEach(
                        p ->
                                periods.put(
                                        p.period(),
                                        new Period(
                                                p.period().toString(),
                                                p.status(),
                                                p.closedAt() == null ? "" : p.closedAt().toString(),
                                                p.period().equals(selected))));
        periods.putIfAbsent(
                selected, new Period(selected.toString(), SettlementService.OPEN, "", true));
        List<Period> newestFirst = new ArrayList<>(periods.values());
        Collections.reverse(newestFirst);
        return newestFirst;
    }

    /** What each platform owes, per currency. */
    private static List<PartyAmount> invoices(
            List<StatementLine> lines, Map<String, String> platformNames) {
        return parties(SettlementEngine.invoices(lines), platformNames, "invoice-");
    }

    /** What each maker receives, per currency. */
    private static List<PartyAmount> payouts(
            List<StatementLine> lines, Map<String, String> makerNames) {
        return parties(SettlementEngine.payouts(lines), makerNames, "payout-");
    }

    private static List<PartyAmount> parties(
            Map<String, Map<String, BigDecimal>> totals, Map<String, String> names, String cell) {
        List<PartyAmount> out = new ArrayList<>();
        totals.forEach(
                (id, byCurrency) ->
                        byCurrency.forEach(
                                (cur, amount) ->
                                        out.add(
                                                new PartyAmount(
                                                        id,
                                                        names.getOrDefault(id, id),
                                                        cur,
                                                        Money.format(
                                                                new BigDecimal(
                                                                        Money.minorUnits(
                                                                                amount, cur)),
                                                                cur),
                                                        cell + id + "-" + cur))));
        return out;
    }

    @FunctionalInterface
    private interface Read<T> {
        List<T> items() throws IOException;
    }

    private static <T> Report<T> usage(Read<T> read) {
        try {
            return new Report<>(read.items(), null);
        } catch (IOException e) {
            return new Report<>(List.of(), "usage-service did not answer: " + e.getMessage());
        }
    }
}
