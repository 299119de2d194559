package dev.fairshare.settlement.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.fairshare.settlement.engine.Rounding;
import dev.fairshare.settlement.engine.StatementLine;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;

/** Settlement's response bodies; money is a decimal string at the currency's minor unit. */
public final class Views {
    private Views() {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PeriodView(String period, String status, String closedAt) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record LineView(
            String period,
            String makerId,
            String platformId,
            String modelId,
            String agreementId,
            String kind,
            String sourceModelId,
            String customerType,
            String basis,
            String amount,
            String currency,
            String adjustsPeriod,
            List<String> path) {}

    public record StatementView(
            String period, String status, List<LineView> items, int page, int size, long total) {}

    public record MakerAmount(String makerId, String currency, String amount) {}

    public record PlatformAmount(String platformId, String currency, String amount) {}

    /**
     * Per-maker or per-platform totals of a period; {@code status} OPEN means a running estimate.
     */
    public record Totals<T>(
            String period, String status, List<T> items, int page, int size, long total) {

        /** One page of {@code all}, paged like every list of the API. */
        public static <T> Totals<T> page(String period, String status, List<T> all, Paging paging) {
            Page<T> p = paging.of(all);
            return new Totals<>(period, status, p.items(), p.page(), p.size(), p.total());
        }
    }

    public record CloseSummary(
            String period,
            String status,
            String closedAt,
            int lines,
            List<PlatformAmount> invoices,
            List<MakerAmount> payouts,
            int currencyMismatches) {}

    public static LineView line(StatementLine l) {
        return new LineView(
                l.period().toString(),
                l.makerId(),
                l.platformId(),
                l.modelId(),
                l.agreementId(),
                l.kind().name(),
                l.sourceModelId(),
                l.customerType() == null ? null : l.customerType().name(),
                plain(l.basis()),
                money(l.amount(), l.currency()),
                l.currency(),
                l.adjustsPeriod() == null ? null : l.adjustsPeriod().toString(),
                l.path().isEmpty() ? null : l.path());
    }

    public static String money(BigDecimal amount, String currency) {
        return amount.setScale(Rounding.fractionDigits(currency), RoundingMode.UNNECESSARY)
                .toPlainString();
    }

    public static String plain(BigDecimal d) {
        BigDecimal s = d.stripTrailingZeros();
        return (s.scale() < 0 ? s.setScale(0) : s).toPlainString();
    }
}
