package dev.fairshare.settlement.service.dashboard;

import dev.fairshare.settlement.engine.CurrencyMismatch;
import dev.fairshare.settlement.engine.UncoveredUsage;
import dev.fairshare.settlement.engine.UnratedUsage;
import dev.fairshare.settlement.service.SettlementService;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;

/**
 * What the dashboard's templates show: rows already formatted, links already built. Made by {@link
 * MakerDashboard}, {@link FinanceDashboard}, {@link StatementLines}; the web layer hands them to
 * its templates as they are.
 */
public final class DashboardViews {
    private DashboardViews() {}

    public record Amount(String currency, String text, String id) {}

    /** One period's total for the maker, per currency, with the link to its lines. */
    public record PeriodTotal(
            String period, String status, String currency, String text, String id, String href) {}

    /** A sum of statement lines of one kind, model, platform and currency. */
    public record Earning(
            String kind,
            String modelId,
            String sourceModelId,
            String platform,
            String currency,
            String text,
            String href) {}

    public record LineageRow(int depth, String modelId, String makerId, String share, boolean own) {
        public String indent() {
            return "padding-left:" + (depth * 1.5) + "em";
        }
    }

    /**
     * Usage a close did not rate, as a row shows it: its period, the platform by name, the model,
     * the count of events and the revenue as money.
     */
    public record UnratedRow(
            String period, String platform, String modelId, long events, String revenue) {

        static UnratedRow of(
                YearMonth period, UnratedUsage usage, Map<String, String> platformNames) {
            return new UnratedRow(
                    period.toString(),
                    platformNames.getOrDefault(usage.platformId(), usage.platformId()),
                    usage.modelId(),
                    usage.events(),
                    Money.format(usage.revenue(), usage.currency()));
        }
    }

    /**
     * Usage without an agreement in force, a finding where the licence forbids it; {@code seen} is
     * its first and last day.
     */
    public record Uncovered(UnratedRow usage, String customerType, boolean finding, String seen) {

        static Uncovered of(SettlementService.Uncovered u, Map<String, String> platformNames) {
            UncoveredUsage usage = u.usage();
            return new Uncovered(
                    UnratedRow.of(u.period(), usage, platformNames),
                    usage.customerType().name(),
                    usage.complianceFinding(),
                    usage.firstDay() + " – " + usage.lastDay());
        }
    }

    /** Usage a revenue-share agreement does not rate: its revenue is in another currency. */
    public record Mismatch(
            UnratedRow usage,
            String makerId,
            String agreementId,
            String agreementCurrency,
            String id) {

        static Mismatch of(SettlementService.Mismatch m, Map<String, String> platformNames) {
            CurrencyMismatch u = m.usage();
            return new Mismatch(
                    UnratedRow.of(m.period(), u, platformNames),
                    u.makerId(),
                    u.agreementId(),
                    u.agreementCurrency(),
                    String.join(
                            "-",
                            "mismatch",
                            m.period().toString(),
                            u.platformId(),
                            u.modelId(),
                            u.currency()));
        }
    }

    public record Line(
            String makerId,
            String platform,
            String modelId,
            String kind,
            String sourceModelId,
            String customerType,
            String basis,
            String amount,
            String adjustsPeriod) {}

    public record Period(String period, String status, String closedAt, boolean selected) {}

    public record PartyAmount(
            String id, String name, String currency, String text, String cellId) {}

    /** A row of usage-service's {@code GET /usage/unattributed}. */
    public record Unattributed(
            String platformId, String modelRef, long events, String firstSeen, String lastSeen) {}

    /**
     * An inbound record usage-service set aside (its platform's usage is incomplete until seen).
     */
    public record Quarantined(
            String platformId,
            String topic,
            int partition,
            long offset,
            String reason,
            String quarantinedAt) {}

    public record MakerPage(
            String user,
            String makerId,
            String makerName,
            String period,
            List<Period> periods,
            List<Amount> accrual,
            String accrualPeriod,
            String chartJson,
            List<PeriodTotal> totals,
            List<Earning> earnings,
            List<LineageRow> lineage,
            List<Uncovered> unlicensed,
            List<Mismatch> mismatches,
            List<Name> names,
            List<ProposalRow> proposals) {}

    /** A platform alias the maker proposed, and what the platform decided. */
    public record ProposalRow(
            String id,
            String ref,
            String platform,
            String modelId,
            String status,
            String proposedAt,
            String decidedAt) {}

    /** A name (alias) of one of the maker's models: where it counts, and from when. */
    public record Name(String modelId, String ref, String scope, String validFrom) {}

    public record FinancePage(
            String user,
            String period,
            String status,
            List<Period> periods,
            List<PartyAmount> invoices,
            List<PartyAmount> payouts,
            String csvHref,
            List<Unattributed> unattributed,
            String unattributedError,
            List<Quarantined> quarantined,
            String quarantineError,
            List<Mismatch> mismatches,
            String message,
            String error) {}

    public record LinesPage(
            String user,
            String period,
            String status,
            String filter,
            String home,
            List<Line> lines,
            String total) {}

    /** The maker page and its revenue-pool section. */
    public record MakerView(MakerPage page, PoolDashboard.MakerPools pools) {}

    /** The finance page of a period and the period's revenue pools. */
    public record FinanceView(FinancePage page, List<PoolDashboard.FinancePool> pools) {}
}
