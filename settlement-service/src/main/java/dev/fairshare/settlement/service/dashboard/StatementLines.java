package dev.fairshare.settlement.service.dashboard;

import dev.fairshare.settlement.engine.StatementLine;
import dev.fairshare.settlement.registry.RegistryReplica;
import dev.fairshare.settlement.service.SettlementService;
import dev.fairshare.settlement.service.dashboard.DashboardViews.Line;
import dev.fairshare.settlement.service.dashboard.DashboardViews.LinesPage;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The statement lines behind a number of the dashboard: a period's lines that match a filter, of
 * one maker when a maker asks, with their total per currency.
 */
@ApplicationScoped
public class StatementLines {
    @Inject SettlementService settlement;

    @Inject RegistryReplica registry;

    /** Which lines: each value null for any. */
    public record Filter(
            String kind, String platformId, String modelId, String sourceModelId, String currency) {

        boolean matches(StatementLine l) {
            return (kind == null || kind.equals(l.kind().name()))
                    && (platformId == null || platformId.equals(l.platformId()))
                    && (modelId == null || modelId.equals(l.modelId()))
                    && (sourceModelId == null || sourceModelId.equals(l.sourceModelId()))
                    && (currency == null || currency.equals(l.currency()));
        }

        /** The values asked for, as the page says them. */
        String text() {
            return Stream.of(kind, platformId, modelId, sourceModelId, currency)
                    .filter(Objects::nonNull)
                    .collect(Collectors.joining(" · "));
        }
    }

    /**
     * The lines of {@code period} that match {@code filter}, for {@code user}: of {@code makerId}
     * only, and back to the maker page, when it is not null; else all of them, back to the finance
     * page.
     */
    public LinesPage page(String user, String makerId, YearMonth period, Filter filter) {
        SettlementService.Statement s = settlement.statement(period);
        Map<String, String> platformNames = registry.platformNames();
        List<Line> rows = new ArrayList<>();
        Map<String, BigDecimal> total = new TreeMap<>();
        for (StatementLine l : s.lines()) {
            if ((makerId != null && !makerId.equals(l.makerId())) || !filter.matches(l)) {
                continue;
            }
            total.merge(l.currency(), l.amount(), BigDecimal::add);
            rows.add(row(l, platformNames));
        }
        return new LinesPage(
                user,
                s.period().toString(),
                s.status(),
                filter.text(),
                (makerId != null ? "/dashboard/maker?period=" : "/dashboard/finance?period=")
                        + s.period(),
                rows,
                total.entrySet().stream()
                        .map(e -> Money.format(e.getValue(), e.getKey()))
                        .collect(Collectors.joining(" · ")));
    }

    private static Line row(StatementLine l, Map<String, String> platformNames) {
        return new Line(
                l.makerId(),
                platformNames.getOrDefault(l.platformId(), l.platformId()),
                l.modelId(),
                l.kind().name(),
                l.sourceModelId(),
                l.customerType() == null ? "" : l.customerType().name(),
                Money.plain(l.basis()),
                Money.format(l.amount(), l.currency()),
                l.adjustsPeriod() == null ? "" : l.adjustsPeriod().toString());
    }
}
