package dev.fairshare.settlement.api;

import dev.fairshare.settlement.auth.Caller;
import dev.fairshare.settlement.domain.CarryForward;
import dev.fairshare.settlement.domain.PayoutLine;
import dev.fairshare.settlement.domain.PeriodTotal;
import dev.fairshare.settlement.problem.ProblemException;
import dev.fairshare.settlement.report.RemittancePdf;
import dev.fairshare.settlement.service.PayeeDetails;
import dev.fairshare.settlement.service.PayoutService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** A maker's remittance advice of a payout run, as PDF. */
@Path("/")
@Tag(name = "payouts")
@SecurityRequirement(name = "bearer")
public class RemittanceResource {
    static final String PDF = "application/pdf";

    private final PayoutService payouts;
    private final RemittancePdf pdf;
    private final Caller caller;

    public RemittanceResource(PayoutService payouts, RemittancePdf pdf, Caller caller) {
        this.payouts = payouts;
        this.pdf = pdf;
        this.caller = caller;
    }

    @GET
    @RolesAllowed({Caller.FINANCE, Caller.MAKER})
    @Path("remittances/{runId}/{makerId}.pdf")
    @Produces(PDF)
    @Operation(
            operationId = "downloadRemittance",
            summary =
                    "A maker's remittance advice of a payout run (PDF): payee, the periods covered with their"
                            + " statement totals, conversions with rate and source, carry-forwards, the amount paid")
    @APIResponse(
            responseCode = "200",
            description = "the PDF",
            content =
                    @Content(
                            mediaType = PDF,
                            schema = @Schema(type = SchemaType.STRING, format = "binary")))
    @APIResponse(responseCode = "403", description = Responses.NOT_THE_MAKER)
    @APIResponse(
            responseCode = "404",
            description =
                    "NOT_FOUND: no such run, or the run has no line or carry-forward of the maker")
    public Response remittance(
            @PathParam("runId") long runId, @PathParam("makerId") String makerId) {
        return render(payouts, pdf, runId, caller.makerScope(makerId));
    }

    /**
     * The remittance advice of {@code maker} in run {@code runId} (the dashboard's download too).
     */
    public static Response render(
            PayoutService payouts, RemittancePdf pdf, long runId, String maker) {
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
