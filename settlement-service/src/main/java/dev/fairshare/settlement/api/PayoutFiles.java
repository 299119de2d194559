package dev.fairshare.settlement.api;

import dev.fairshare.settlement.config.PayoutConfig;
import dev.fairshare.settlement.domain.CarryForward;
import dev.fairshare.settlement.domain.PayoutLine;
import dev.fairshare.settlement.domain.PeriodTotal;
import dev.fairshare.settlement.problem.ProblemException;
import dev.fairshare.settlement.report.PaymentFiles;
import dev.fairshare.settlement.report.RemittancePdf;
import dev.fairshare.settlement.service.PayeeDetails;
import dev.fairshare.settlement.service.PayoutService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * The files of a payout run, answered alike by the API ({@link PayoutResource}, {@link
 * PayeeResource}) and the dashboard: the payment file finance sends to the bank or the provider,
 * and a maker's remittance advice.
 */
@ApplicationScoped
public class PayoutFiles {
    static final String PAIN_001 = "application/xml";
    static final String CSV = "text/csv";
    static final String PDF = "application/pdf";

    @Inject PayoutService payouts;

    @Inject PayoutConfig config;

    @Inject RemittancePdf pdf;

    /**
     * Exports run {@code id} and answers its payment file: pain.001 for the IBAN payees, or CSV for
     * the provider accounts (the dashboard's download too).
     */
    public Response paymentFile(long id, boolean csv) {
        PayoutService.RunDetail run = payouts.export(id);
        List<PaymentFiles.Payment> payments = new ArrayList<>();
        for (PayoutLine l : run.lines()) {
            if ((l.iban() != null) != csv) {
                payments.add(
                        new PaymentFiles.Payment(
                                "FS-" + id + "-" + l.id(),
                                l.makerId(),
                                l.payeeName(),
                                l.iban(),
                                l.bic(),
                                l.providerAccount(),
                                new BigDecimal(Views.money(l.amount(), l.currency())),
                                l.currency()));
            }
        }
        String name = "payout-run-" + id;
        if (csv) {
            return Response.ok(PaymentFiles.csv(payments), CSV + "; charset=UTF-8")
                    .header("Content-Disposition", "attachment; filename=\"" + name + ".csv\"")
                    .build();
        }
        PayoutConfig.Debtor debtor = config.debtor();
        String xml =
                PaymentFiles.pain001(
                        "FAIRSHARE-RUN-" + id,
                        run.run().exportedAt(),
                        run.run().exportedAt().atZone(java.time.ZoneOffset.UTC).toLocalDate(),
                        new PaymentFiles.Debtor(debtor.name(), debtor.iban(), debtor.bic()),
                        "Fairshare royalties, payout run " + id,
                        payments);
        return Response.ok(xml, PAIN_001 + "; charset=UTF-8")
                .header("Content-Disposition", "attachment; filename=\"" + name + ".xml\"")
                .build();
    }

    /**
     * The remittance advice of {@code maker} in run {@code runId} (the dashboard's download too).
     */
    public Response remittance(long runId, String maker) {
        PayoutService.RunDetail run =
                payouts.run(runId)
                        .orElseThrow(
                                () ->
                                        ProblemException.notFound(
                                                "payout run", String.valueOf(runId)));
        PayoutLine line =
                run.lines().stream()
                        .filter(l -> l.makerId().equals(maker))
                        .findFirst()
                        .orElse(null);
        List<CarryForward> carried =
                run.carryForwards().stream().filter(cf -> cf.makerId().equals(maker)).toList();
        if (line == null && carried.isEmpty()) {
            throw ProblemException.notFound("remittance of payout run " + runId, maker);
        }
        RemittancePdf.Remittance r =
                remittance(run, maker, line, carried, payouts.periodsCovered(run.run(), maker));
        return Response.ok(pdf.render(r), PDF)
                .header(
                        "Content-Disposition",
                        "attachment; filename=\"remittance-" + runId + "-" + maker + ".pdf\"")
                .build();
    }

    /** What the advice of {@code maker} shows: its line (if any) and what was carried forward. */
    private static RemittancePdf.Remittance remittance(
            PayoutService.RunDetail run,
            String maker,
            PayoutLine line,
            List<CarryForward> carried,
            List<PeriodTotal> periods) {
        String currency = run.run().currency();
        return new RemittancePdf.Remittance(
                run.run().id(),
                currency,
                run.run().asOf().toString(),
                run.run().status(),
                maker,
                line == null ? maker : line.payeeName(),
                line == null ? "-" : maskedAccount(line),
                line != null,
                line == null ? null : Views.money(line.amount(), currency),
                line == null ? null : line.status(),
                line == null ? null : line.reference(),
                line == null ? List.of() : parts(run, line),
                periods.stream()
                        .map(
                                t ->
                                        new RemittancePdf.PeriodTotal(
                                                t.period(),
                                                t.currency(),
                                                Views.money(t.total(), t.currency())))
                        .toList(),
                carried.stream()
                        .map(
                                cf ->
                                        new RemittancePdf.Carried(
                                                cf.currency(),
                                                Views.money(cf.balance(), cf.currency()),
                                                cf.reason()))
                        .toList());
    }

    private static String maskedAccount(PayoutLine line) {
        return line.iban() != null
                ? "IBAN " + PayeeDetails.maskIban(line.iban())
                : "provider account " + PayeeDetails.maskAccount(line.providerAccount());
    }

    /** The balances the line pays, each converted into the run's currency. */
    private static List<RemittancePdf.Part> parts(PayoutService.RunDetail run, PayoutLine line) {
        String currency = run.run().currency();
        return run.parts().getOrDefault(line.id(), List.of()).stream()
                .map(
                        p ->
                                new RemittancePdf.Part(
                                        p.currency(),
                                        Views.money(p.balance(), p.currency()),
                                        p.rate() == null ? "-" : Views.plain(p.rate()),
                                        p.rateSource() == null ? "-" : p.rateSource(),
                                        Views.money(p.converted(), currency)))
                .toList();
    }
}
