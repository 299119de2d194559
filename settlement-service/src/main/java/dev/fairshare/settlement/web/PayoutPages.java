package dev.fairshare.settlement.web;

import dev.fairshare.settlement.api.PayoutFiles;
import dev.fairshare.settlement.problem.ProblemException;
import dev.fairshare.settlement.service.PayeeDetails;
import dev.fairshare.settlement.service.PayoutService;
import dev.fairshare.settlement.service.dashboard.PayoutDashboard;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
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
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The dashboard's payout page: finance creates, approves, cancels runs, downloads their payment
 * files and marks lines; a maker sees its own lines and downloads its remittance advice. Signed in
 * by the dashboard's session cookie (the API takes the Authorization header only); every form
 * carries the session's CSRF token, and the page's notices are made here from fixed codes.
 */
@Path("/dashboard/payouts")
@CsrfProtected
@PermitAll
public class PayoutPages {
    /** Who is signed in: a FINANCE user ({@code maker} null) or a MAKER with its maker id. */
    private record Payee(String user, String maker) {
        boolean finance() {
            return maker == null;
        }
    }

    @Inject PayoutDashboard dashboard;

    @Inject PayoutService payouts;

    @Inject PayoutFiles files;

    @Inject Session session;

    @Inject
    @Location("payouts.html")
    Template template;

    /** The signed-in FINANCE or MAKER user; a MAKER token without its maker id is nobody here. */
    private Optional<Payee> viewer() {
        return Viewer.of(session)
                .flatMap(
                        v -> {
                            if (v.groups().contains(Viewer.FINANCE)) {
                                return Optional.of(new Payee(v.user(), null));
                            }
                            String maker = v.makerId();
                            return v.groups().contains(Viewer.MAKER)
                                            && maker != null
                                            && !maker.isBlank()
                                    ? Optional.of(new Payee(v.user(), maker))
                                    : Optional.empty();
                        });
    }

    private Optional<Payee> finance() {
        return viewer().filter(Payee::finance);
    }

    private Response away() {
        return Viewer.away(Viewer.of(session));
    }

    /**
     * What the page reports after an action: {@code ?done=} and {@code ?run=} (what was done to
     * which run) or {@code ?error=} (why it was refused), as codes the page makes its sentence
     * from.
     */
    public record Outcome(
            @QueryParam("done") String done,
            @QueryParam("run") Long runId,
            @QueryParam("error") String error) {}

    @GET
    @Produces(MediaType.TEXT_HTML)
    public Response page(@BeanParam Outcome outcome) {
        Optional<Payee> v = viewer();
        if (v.isEmpty()) {
            return away();
        }
        return Response.ok(
                        template.data(
                                "page",
                                dashboard.page(
                                        v.get().user(),
                                        v.get().maker(),
                                        outcome.done(),
                                        outcome.runId(),
                                        outcome.error())))
                .type(MediaType.TEXT_HTML)
                .build();
    }

    @GET
    @Path("{id}/payment-file")
    public Response paymentFile(@PathParam("id") long id, @QueryParam("format") String format) {
        if (finance().isEmpty()) {
            return away();
        }
        return files.paymentFile(id, "csv".equals(format));
    }

    @GET
    @Path("remittances/{runId}/{makerId}.pdf")
    public Response remittance(
            @PathParam("runId") long runId, @PathParam("makerId") String makerId) {
        Optional<Payee> v = viewer();
        if (v.isEmpty()) {
            return away();
        }
        if (!v.get().finance() && !v.get().maker().equals(makerId)) {
            return Response.status(403).build();
        }
        return files.remittance(runId, makerId);
    }

    /** The form that creates a run: its currency and the day whose balances it pays. */
    public record RunForm(@FormParam("currency") String currency, @FormParam("asOf") String asOf) {
        /** The day the run is as of; 422 {@code INVALID_DATE} when it is not one. */
        LocalDate day() {
            try {
                return LocalDate.parse(asOf == null ? "" : asOf.trim());
            } catch (DateTimeParseException e) {
                throw new ProblemException(422, "INVALID_DATE", "asOf: a day such as 2026-11-30");
            }
        }

        /** The run's currency code; 422 {@code INVALID_CURRENCY} when it is not one. */
        String code() {
            String c = currency == null ? "" : currency.trim();
            if (!PayeeDetails.validCurrency(c)) {
                throw new ProblemException(422, "INVALID_CURRENCY", "currency: an ISO 4217 code");
            }
            return c;
        }
    }

    @POST
    @Path("create")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response create(@BeanParam RunForm form, @FormParam(Session.CSRF_FIELD) String csrf) {
        Optional<Payee> v = finance();
        if (v.isEmpty()) {
            return away();
        }
        return act(
                "created",
                () -> {
                    LocalDate day = form.day();
                    return dashboard.create(form.code(), day, v.get().user());
                });
    }

    @POST
    @Path("{id}/approve")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response approve(@PathParam("id") long id, @FormParam(Session.CSRF_FIELD) String csrf) {
        Optional<Payee> v = finance();
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
    @Path("{id}/cancel")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
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
    @Path("{id}/lines/{lineId}/{outcome:paid|failed}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response settle(
            @PathParam("id") long id,
            @PathParam("lineId") long lineId,
            @PathParam("outcome") String outcome,
            @FormParam("reference") String reference,
            @FormParam(Session.CSRF_FIELD) String csrf) {
        Optional<Payee> v = finance();
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
