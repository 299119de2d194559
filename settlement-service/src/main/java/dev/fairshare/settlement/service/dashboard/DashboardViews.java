package dev.fairshare.settlement.web;

import io.quarkus.qute.TemplateData;
import java.util.List;

/** What the dashboard's templates show: rows already formatted, links already built. */
public final class Pages {
    private Pages() {}

    @TemplateData
    public record Amount(String currency, String text, String id) {}

    /** One period's total for the maker, per currency, with the link to its lines. */
    @TemplateData
    public record PeriodTotal(
            String period, String status, String currency, String text, String id, String href) {}

    /** A sum of statement lines of one kind, model, platform and currency. */
    @TemplateData
    public record Earning(
            String kind,
            String modelId,
            String sourceModelId,
            String platform,
            String currency,
            String text,
            String href) {}

    @TemplateData
    public record LineageRow(int depth, String modelId, String makerId, String share, boolean own) {
        public String indent() {
            return "padding-left:" + (depth * 1.5) + "em";
        }
    }

    @TemplateData
    public record Uncovered(
            String period,
            String platform,
            String modelId,
            String customerType,
            long events,
            String revenue,
            boolean finding,
            String firstSeen,
            String lastSeen) {}

    /** Usage a revenue-share agreement does not rate: its revenue is in another currency. */
    @TemplateData
    public record Mismatch(
            String period,
            String platform,
            String modelId,
            String makerId,
            String agreementId,
            String agreementCurrency,
            long events,
            String revenue,
            String id) {}

    @TemplateData
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

    @TemplateData
    public record Period(String period, String status, String closedAt, boolean selected) {}

    @TemplateData
    public record PartyAmount(
            String id, String name, String currency, String text, String cellId) {}

    @TemplateData
    public record Unattributed(
            String platformId, String modelRef, long events, String firstSeen, String lastSeen) {}

    /**
     * An inbound record usage-service set aside (its platform's usage is incomplete until seen).
     */
    @TemplateData
    public record Quarantined(
            String platformId,
            String topic,
            int partition,
            long offset,
            String reason,
            String quarantinedAt) {}

    @TemplateData
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
    @TemplateData
    public record ProposalRow(
            String id,
            String ref,
            String platform,
            String modelId,
            String status,
            String proposedAt,
            String decidedAt) {}

    /** A name (alias) of one of the maker's models: where it counts, and from when. */
    @TemplateData
    public record Name(String modelId, String ref, String scope, String validFrom) {}

    @TemplateData
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

    @TemplateData
    public record LinesPage(
            String user,
            String period,
            String status,
            String filter,
            String home,
            List<Line> lines,
            String total) {}
}
