package dev.fairshare.settlement.web;

import dev.fairshare.settlement.api.PayoutResource;
import dev.fairshare.settlement.api.RemittanceResource;
import dev.fairshare.settlement.api.Views;
import dev.fairshare.settlement.config.PayoutConfig;
import dev.fairshare.settlement.domain.PayoutLine;
import dev.fairshare.settlement.domain.PayoutRun;
import dev.fairshare.settlement.problem.ProblemException;
import dev.fairshare.settlement.report.RemittancePdf;
import dev.fairshare.settlement.service.PayeeDetails;
import dev.fairshare.settlement.service.PayoutService;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateData;
import jakarta.annotation.security.PermitAll;
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
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The dashboard's payout page: finance creates, approves, cancels runs, downloads their payment
 * files and marks lines; a maker sees its own lines and downloads its remittance advice. Signed in
 * by the dashboard's session cookie (the API takes the Authorization header only); every form
 * carries the session's CSRF token, and the page's notices are made here from fixed codes.
 */
@Path("/dashboard/payouts")
@CsrfProtected
public class PayoutPages {
    private static final Map<String, String> REFUSALS =
            Map.of(
                    "RUN_IN_PROGRESS",
                            "Another run in this currency is not finished yet: finish or cancel it"
                                    + " first.",
                    "FX_RATE_MISSING",
                            "A conversion needs an FX rate for the run's as-of day: record it"
                                    + " (POST /fx-rates) and create the run again.",
                    "SAME_USER", "A run is approved by another finance user than its creator.",
                    "INVALID_RUN_STATUS", "The run is not in a state that allows this.",
                    "LINE_SETTLED", "This line is settled already.",
                    "INVALID_DATE", "The as-of day must be a date such as 2026-11-30.",
                    "INVALID_CURRENCY", "The currency must be an ISO 4217 code such as USD.",
                    "VALIDATION_FAILED", "A paid line needs the payment's bank reference.",
                    "CONFLICT", "Another request changed the same run first: look again.");

    /** Who is signed in: a FINANCE user ({@code maker} null) or a MAKER with its maker id. */
    private record Viewer(String user, String maker) {
        boolean finance() {
            return maker == null;
        }
    }

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
    private final PayoutConfig config;
    private final RemittancePdf pdf;
    private final Session session;
    private final Template template;

    public PayoutPages(
            PayoutService payouts,
            PayoutConfig config,
            RemittancePdf pdf,
            Session session,
            @Location("payouts.html") Template template) {
        this.payouts = payouts;
        this.config = config;
        this.pdf = pdf;
        this.session = session;
        this.template = template;
    }

    /** The signed-in FINANCE or MAKER user; a MAKER token without its maker id is nobody here. */
    private Optional<Viewer> viewer() {
        return session.token()
                .flatMap(
                        jwt -> {
                            if (jwt.getGroups().contains("FINANCE")) {
                                return Optional.of(new Viewer(jwt.getName(), null));
                            }
                            String maker = jwt.getClaim("makerId");
                            return jwt.getGroups().contains("MAKER")
                                            && maker != null
                                            && !maker.isBlank()
                                    ? Optional.of(new Viewer(jwt.getName(), maker))
                                    : Optional.empty();
                        });
    }

    private Optional<Viewer> finance() {
        return viewer().filter(Viewer::finance);
    }

    private Response away() {
        return Response.seeOther(URI.create(session.token().isEmpty() ? "/login" : "/dashboard"))
                .build();
    }

    @GET
    @PermitAll
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response page(
            @QueryParam("done") String done,
            @QueryParam("run") Long runId,
            @QueryParam("error") String error) {
        Optional<Viewer> v = viewer();
        if (v.isEmpty()) {
            return away();
        }
        String maker = v.get().maker();
        List<Run> runs =
                payouts.runs(null).stream()
                        .map(r -> run(r, maker))
                        .filter(r -> maker == null || !r.lines().isEmpty())
                        .toList();
        return Response.ok(
                        template.data(
                                "page",
                                new Page(
                                        v.get().user(),
                                        maker == null,
                                        runs,
                                        notice(done, runId),
                                        error == null
                                                ? null
                                                : REFUSALS.getOrDefault(
                                                        error, "The action was refused."))))
                .type(MediaType.TEXT_HTML)
                .build();
    }

    /** The sentence of a done action; a code it does not know says nothing. */
    static String notice(String done, Long runId) {
        if (done == null || runId == null) {
            return null;
        }
        return switch (done) {
            case "created" ->
                    "Run " + runId + " created as a draft: another finance user approves it.";
            case "approved" -> "Run " + runId + " approved: download its payment file.";
            case "cancelled" -> "Run " + runId + " cancelled: the balances stay on the ledger.";
            case "settled" -> "A line of run " + runId + " is marked.";
            default -> null;
        };
    }

    @GET
    @PermitAll
    @Path("{id}/payment-file")
    @Operation(hidden = true)
    public Response paymentFile(@PathParam("id") long id, @QueryParam("format") String format) {
        if (finance().isEmpty()) {
            return away();
        }
        return PayoutResource.paymentFile(payouts, config, id, "csv".equals(format));
    }

    @GET
    @PermitAll
    @Path("remittances/{runId}/{makerId}.pdf")
    @Operation(hidden = true)
    public Response remittance(
            @PathParam("runId") long runId, @PathParam("makerId") String makerId) {
        Optional<Viewer> v = viewer();
        if (v.isEmpty()) {
            return away();
        }
        if (!v.get().finance() && !v.get().maker().equals(makerId)) {
            return Response.status(403).build();
        }
        return RemittanceResource.render(payouts, pdf, runId, makerId);
    }

    static Run run(PayoutService.RunDetail d, String maker) {
        PayoutRun r = d.run();
        List<PayoutLine> own =
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
                                .map(PayoutLine::amount)
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
    @PermitAll
    @Path("create")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response create(
            @FormParam("currency") String currency,
            @FormParam("asOf") String asOf,
            @FormParam(Session.CSRF_FIELD) String csrf) {
        Optional<Viewer> v = finance();
        if (v.isEmpty()) {
            return away();
        }
        return act(
                "created",
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
                    return payouts.createRun(c, day, v.get().user()).run().id();
                });
    }

    @POST
    @PermitAll
    @Path("{id}/approve")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response approve(@PathParam("id") long id, @FormParam(Session.CSRF_FIELD) String csrf) {
        Optional<Viewer> v = finance();
        if (v.isEmpty()) {
            return away();
        }
        return act(
                "approved",
                () -> {
                    payouts.approve(id, v.get().user());
                    return id;
                });
    }

    @POST
    @PermitAll
    @Path("{id}/cancel")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response cancel(@PathParam("id") long id, @FormParam(Session.CSRF_FIELD) String csrf) {
        if (finance().isEmpty()) {
            return away();
        }
        return act(
                "cancelled",
                () -> {
                    payouts.cancel(id);
                    return id;
                });
    }

    @POST
    @PermitAll
    @Path("{id}/lines/{lineId}/{outcome:paid|failed}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response settle(
            @PathParam("id") long id,
            @PathParam("lineId") long lineId,
            @PathParam("outcome") String outcome,
            @FormParam("reference") String reference,
            @FormParam(Session.CSRF_FIELD) String csrf) {
        Optional<Viewer> v = finance();
        if (v.isEmpty()) {
            return away();
        }
        return act(
                "settled",
                () -> {
                    boolean paid = "paid".equals(outcome);
                    String ref =
                            reference == null || reference.isBlank() ? null : reference.strip();
                    if (paid && ref == null) {
                        throw new ProblemException(
                                422, "VALIDATION_FAILED", "reference: the payment's reference");
                    }
                    payouts.settle(id, lineId, paid, ref, v.get().user());
                    return id;
                });
    }

    /**
     * Does it (answering the run's id) and comes back to the page with the code of what happened,
     * or of why it was refused: the page makes its sentence from the code.
     */
    private static Response act(String done, Supplier<Long> action) {
        String query;
        try {
            query = "done=" + done + "&run=" + action.get();
        } catch (ProblemException e) {
            query = "error=" + encode(e.code());
        }
        return Response.seeOther(URI.create("/dashboard/payouts?" + query)).build();
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
