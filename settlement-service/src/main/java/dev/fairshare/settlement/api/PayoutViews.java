package dev.fairshare.settlement.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.fairshare.settlement.domain.FxRate;
import dev.fairshare.settlement.domain.PayoutLine;
import dev.fairshare.settlement.domain.PayoutPart;
import dev.fairshare.settlement.domain.PayoutProfile;
import dev.fairshare.settlement.domain.PayoutRun;
import dev.fairshare.settlement.service.PayoutService;
import java.math.BigDecimal;
import java.util.List;

/** The payout API's bodies; money is a decimal string at the currency's minor unit. */
public final class PayoutViews {
    private PayoutViews() {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ChangeView(String changedAt, String changedBy, String before, String after) {}

    /** Who a maker is paid to: a bank account (IBAN, BIC) or a payment provider's account. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PayeeView(String payeeName, String iban, String bic, String providerAccount) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ProfileView(
            String makerId,
            String currency,
            String threshold,
            @JsonUnwrapped PayeeView payee,
            String updatedAt,
            String updatedBy,
            List<ChangeView> changes) {}

    public record RateRequest(String date, String base, String quote, String rate, String source) {}

    public record RateView(
            String date,
            String base,
            String quote,
            String rate,
            String source,
            String recordedBy,
            String recordedAt) {}

    public record RunRequest(String currency, String asOf) {}

    public record SettleRequest(String reference) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PartView(
            String currency, String balance, String rate, String rateSource, String converted) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record LineView(
            long id,
            String makerId,
            String amount,
            String currency,
            @JsonUnwrapped PayeeView payee,
            boolean payeeChanged,
            String status,
            String reference,
            String settledBy,
            String settledAt,
            List<PartView> parts) {}

    public record CarryForwardView(
            String makerId, String currency, String balance, String reason) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RunView(
            long id,
            String currency,
            String asOf,
            String status,
            String createdBy,
            String createdAt,
            String approvedBy,
            String approvedAt,
            String exportedAt,
            int lineCount,
            String total,
            List<LineView> lines,
            List<CarryForwardView> carryForwards) {}

    static ProfileView profile(PayoutService.ProfileWithHistory p) {
        PayoutProfile pr = p.profile();
        String currency = pr.currency().trim();
        return new ProfileView(
                pr.makerId(),
                currency,
                Views.money(pr.threshold(), currency),
                new PayeeView(pr.payeeName(), pr.iban(), pr.bic(), pr.providerAccount()),
                pr.updatedAt().toString(),
                pr.updatedBy(),
                p.changes().stream()
                        .map(
                                ch ->
                                        new ChangeView(
                                                ch.changedAt().toString(),
                                                ch.changedBy(),
                                                ch.oldMasked(),
                                                ch.newMasked()))
                        .toList());
    }

    static RateView rate(FxRate r) {
        return new RateView(
                r.date().toString(),
                r.base(),
                r.quote(),
                Views.plain(r.rate()),
                r.source(),
                r.recordedBy(),
                r.recordedAt().toString());
    }

    /** The run as {@code makerId} sees it (its own line and carry-forwards), or whole when null. */
    static RunView run(PayoutService.RunDetail d, String makerId) {
        PayoutRun r = d.run();
        List<LineView> lines =
                d.lines().stream()
                        .filter(l -> makerId == null || makerId.equals(l.makerId()))
                        .map(l -> line(l, d.parts().getOrDefault(l.id(), List.of())))
                        .toList();
        BigDecimal total =
                d.lines().stream()
                        .filter(l -> makerId == null || makerId.equals(l.makerId()))
                        .map(PayoutLine::amount)
                        .reduce(BigDecimal.ZERO, BigDecimal::add);
        return new RunView(
                r.id(),
                r.currency(),
                r.asOf().toString(),
                r.status(),
                r.createdBy(),
                r.createdAt().toString(),
                r.approvedBy(),
                text(r.approvedAt()),
                text(r.exportedAt()),
                lines.size(),
                Views.money(total, r.currency()),
                lines,
                d.carryForwards().stream()
                        .filter(cf -> makerId == null || makerId.equals(cf.makerId()))
                        .map(
                                cf ->
                                        new CarryForwardView(
                                                cf.makerId(),
                                                cf.currency(),
                                                Views.money(cf.balance(), cf.currency()),
                                                cf.reason()))
                        .toList());
    }

    static LineView line(PayoutLine l, List<PayoutPart> parts) {
        return new LineView(
                l.id(),
                l.makerId(),
                Views.money(l.amount(), l.currency()),
                l.currency(),
                new PayeeView(l.payeeName(), l.iban(), l.bic(), l.providerAccount()),
                l.payeeChanged(),
                l.status(),
                l.reference(),
                l.settledBy(),
                text(l.settledAt()),
                parts.stream()
                        .map(
                                p ->
                                        new PartView(
                                                p.currency(),
                                                Views.money(p.balance(), p.currency()),
                                                p.rate() == null ? null : Views.plain(p.rate()),
                                                p.rateSource(),
                                                Views.money(p.converted(), l.currency())))
                        .toList());
    }

    private static String text(Object o) {
        return o == null ? null : o.toString();
    }
}
