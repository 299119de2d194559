package dev.fairshare.settlement.web;

import dev.fairshare.settlement.api.ProblemException;
import dev.fairshare.settlement.api.Views;
import dev.fairshare.settlement.auth.Caller;
import dev.fairshare.settlement.service.PayeeDetails;
import dev.fairshare.settlement.service.PayoutService;
import dev.fairshare.settlement.store.PayoutStore;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateData;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.function.Supplier;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The dashboard's payout page: finance creates, approves, cancels runs, downloads their payment
 * files and marks lines; a maker sees its own lines and downloads its remittance advice.
 */
@Path("/dashboard/payouts")
public class PayoutPages {

    @TemplateData
    public record Line(
            long runId,
            long id,
            String makerId,
            String payeeName,
            boolean payeeChanged,
            String account,
            String amount,
            String status,
            String reference) {
        public String paidAction() {
            return "/dashboard/payouts/" + runId + "/lines/" + id + "/paid";
        }

        public String failedAction() {
            return "/dashboard/payouts/" + runId + "/lines/" + id + "/failed";
        }

        public String paidId() {
            return "paid-" + id;
        }

        public String failedId() {
            return "failed-" + id;
        }
    }

    @TemplateData
    public record Run(
            long id,
            String currency,
            String asOf,
            String status,
            String createdBy,
            String approvedBy,
            int lineCount,
            String total,
            List<Line> lines,
            List<String> carried) {
        public String approveAction() {
            return "/dashboard/payouts/" + id + "/approve";
        }

        public String cancelAction() {
            return "/dashboard/payouts/" + id + "/cancel";
        }

        public String approveId() {
            return "approve-" + id;
        }

        public String cancelId() {
            return "cancel-" + id;
        }
    }

    @TemplateData
    public record Page(
            String user, boolean finance, List<Run> runs, String message, String error) {}

    private final PayoutService payouts;
    private final Caller caller;
    private final Template template;

    public PayoutPages(
            PayoutService payouts, Caller caller, @Location("payouts.html") Template template) {
        this.payouts = payouts;
        this.caller = caller;
        this.template = template;
    }

    @GET
    @RolesAllowed({Caller.FINANCE, Caller.MAKER})
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response page(@QueryParam("message") String message, @QueryParam("error") String error) {
        String maker = caller.makerScope(null);
        List<Run> runs =
                payouts.runs(null).stream()
                        .map(r -> run(r, maker))
                        .filter(r -> maker == null || !r.lines().isEmpty())
                        .toList();
        return Response.ok(
                        template.data(
                                "page",
                                new Page(caller.name(), maker == null, runs, message, error)))
                .type(MediaType.TEXT_HTML)
                .build();
    }

    static Run run(PayoutService.RunDetail d, String maker) {
        PayoutStore.Run r = d.run();
        List<PayoutStore.Line> own =
                d.lines().stream().filter(l -> maker == null || maker.equals(l.makerId())).toList();
        return new Run(
                r.id(),
                r.currency(),
                r.asOf().toString(),
                r.status(),
                r.createdBy(),
                r.approvedBy(),
                own.size(),
                Views.money(
                        own.stream()
                                .map(PayoutStore.Line::amount)
                                .reduce(java.math.BigDecimal.ZERO, java.math.BigDecimal::add),
                        r.currency()),
                own.stream()
                        .map(
                                l ->
                                        new Line(
                                                r.id(),
                                                l.id(),
                                                l.makerId(),
                                                l.payeeName(),
                                                l.payeeChanged(),
                                                l.iban() != null
                                                        ? PayeeDetails.maskIban(l.iban())
                                                        : PayeeDetails.maskAccount(
                                                                l.providerAccount()),
                                                Views.money(l.amount(), l.currency()),
                                                l.status(),
                                                l.reference()))
                        .toList(),
                d.carryForwards().stream()
                        .filter(cf -> maker == null || maker.equals(cf.makerId()))
                        .map(
                                cf ->
                                        cf.makerId()
                                                + ": "
                                                + Views.money(cf.balance(), cf.currency())
                                                + " "
                                                + cf.currency()
                                                + " ("
                                                + cf.reason()
                                                + ")")
                        .toList());
    }

    @POST
    @RolesAllowed(Caller.FINANCE)
    @Path("create")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response create(@FormParam("currency") String currency, @FormParam("asOf") String asOf) {
        return act(
                () -> {
                    LocalDate day;
                    try {
                        day = LocalDate.parse(asOf == null ? "" : asOf.trim());
                    } catch (DateTimeParseException e) {
                        throw new ProblemException(
                                422, "INVALID_DATE", "asOf: a day such as 2026-11-30");
                    }
                    String c = currency == null ? "" : currency.trim();
                    if (!PayeeDetails.validCurrency(c)) {
                        throw new ProblemException(
                                422, "INVALID_CURRENCY", "currency: an ISO 4217 code");
                    }
                    long id = payouts.createRun(c, day, caller.name()).run().id();
                    return "Run " + id + " created as a draft: another finance user approves it.";
                });
    }

    @POST
    @RolesAllowed(Caller.FINANCE)
    @Path("{id}/approve")
    @Operation(hidden = true)
    public Response approve(@PathParam("id") long id) {
        return act(
                () -> {
                    payouts.approve(id, caller.name());
                    return "Run " + id + " approved: download its payment file.";
                });
    }

    @POST
    @RolesAllowed(Caller.FINANCE)
    @Path("{id}/cancel")
    @Operation(hidden = true)
    public Response cancel(@PathParam("id") long id) {
        return act(
                () -> {
                    payouts.cancel(id);
                    return "Run " + id + " cancelled: the balances stay on the ledger.";
                });
    }

    @POST
    @RolesAllowed(Caller.FINANCE)
    @Path("{id}/lines/{lineId}/{outcome:paid|failed}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response settle(
            @PathParam("id") long id,
            @PathParam("lineId") long lineId,
            @PathParam("outcome") String outcome,
            @FormParam("reference") String reference) {
        return act(
                () -> {
                    boolean paid = "paid".equals(outcome);
                    String ref =
                            reference == null || reference.isBlank() ? null : reference.strip();
                    if (paid && ref == null) {
                        throw new ProblemException(
                                422, "VALIDATION_FAILED", "reference: the payment's reference");
                    }
                    payouts.settle(id, lineId, paid, ref, caller.name());
                    return "Line "
                            + lineId
                            + " of run "
                            + id
                            + " is "
                            + (paid ? "PAID" : "FAILED")
                            + ".";
                });
    }

    /** Does it and comes back to the page with what happened, or with why it was refused. */
    private static Response act(Supplier<String> action) {
        String query;
        try {
            query = "message=" + encode(action.get());
        } catch (ProblemException e) {
            query = "error=" + encode(e.getMessage());
        }
        return Response.seeOther(URI.create("/dashboard/payouts?" + query)).build();
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
