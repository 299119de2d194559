package dev.fairshare.settlement.web;

import static dev.fairshare.settlement.web.Viewer.redirect;

import dev.fairshare.settlement.api.FinanceResource;
import dev.fairshare.settlement.api.SettlementResource;
import dev.fairshare.settlement.problem.ProblemException;
import dev.fairshare.settlement.service.SettlementService;
import dev.fairshare.settlement.service.dashboard.DashboardViews.FinanceView;
import dev.fairshare.settlement.service.dashboard.FinanceDashboard;
import dev.fairshare.settlement.service.dashboard.Notices;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * Finance's view of a period ({@link FinanceDashboard} makes it): periods and their closes,
 * invoices, payouts, revenue pools, mismatched, unattributed and quarantined usage; the close of a
 * period and the settlement CSV, with the same rules as the API's. For the signed-in FINANCE user
 * only.
 */
@Path("/dashboard/finance")
@Blocking
@CsrfProtected
@PermitAll
public class FinancePages {
    @Inject FinanceDashboard dashboard;

    @Inject SettlementService settlement;

    @Inject Session session;

    @Inject
    @Location("finance.html")
    Template finance;

    /** Finance: periods and closes, invoices, payouts, reports, unattributed usage. */
    @GET
    @Produces(MediaType.TEXT_HTML)
    public Response financePage(@QueryParam("period") String period, @BeanParam Notice notice) {
        Optional<Viewer> v = Viewer.of(session);
        if (v.isEmpty() || !v.get().finance()) {
            return Viewer.away(v);
        }
        YearMonth selected =
                period == null
                        ? YearMonth.now(ZoneOffset.UTC).minusMonths(1)
                        : SettlementResource.period(period);
        FinanceView view =
                dashboard.view(
                        v.get().user(),
                        v.get().token(),
                        selected,
                        notice.message(),
                        notice.error());
        return Response.ok(finance.data("page", view.page()).data("pools", view.pools()))
                .type(MediaType.TEXT_HTML)
                .build();
    }

    /**
     * What the page reports after a close: {@code ?message=} (what was done) or {@code ?error=}
     * (why it was refused); both are codes, the page says what they mean and never echoes them.
     */
    public record Notice(
            @QueryParam("message") String message, @QueryParam("error") String error) {}

    /** The close form: the period, and {@code force=on} to close it before its grace is over. */
    public record CloseForm(@FormParam("period") String period, @FormParam("force") String force) {}

    /** Close a period from the dashboard (the same rules as POST /periods/{p}/close). */
    @POST
    @Path("close")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response close(@BeanParam CloseForm form, @FormParam(Session.CSRF_FIELD) String csrf) {
        Optional<Viewer> v = Viewer.of(session);
        if (v.isEmpty() || !v.get().finance()) {
            return Viewer.away(v);
        }
        YearMonth p = SettlementResource.period(form.period());
        try {
            settlement.close(p, "on".equals(form.force()));
            return redirect("/dashboard/finance?period=" + p + "&message=" + Notices.CLOSED);
        } catch (ProblemException e) {
            return redirect(
                    "/dashboard/finance?period="
                            + p
                            + "&error="
                            + URLEncoder.encode(e.code(), StandardCharsets.UTF_8));
        }
    }

    /**
     * The settlement CSV of a period for the signed-in finance user (the same file as GET
     * /reports/{period}/settlement.csv, which takes the Authorization header only); 303 to the
     * sign-in when not signed in as FINANCE, 400 INVALID_PERIOD.
     */
    @GET
    @Path("/settlement.csv")
    @Produces("text/csv")
    public Response financeCsv(@QueryParam("period") String period) {
        Optional<Viewer> v = Viewer.of(session);
        if (v.isEmpty() || !v.get().finance()) {
            return Viewer.away(v);
        }
        return FinanceResource.settlementCsv(settlement, SettlementResource.period(period));
    }
}
