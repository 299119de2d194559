package dev.fairshare.settlement.web;

import dev.fairshare.settlement.api.SettlementResource;
import dev.fairshare.settlement.service.dashboard.DashboardViews.MakerView;
import dev.fairshare.settlement.service.dashboard.MakerDashboard;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * The maker's view of its earnings, lineage, names, revenue pools, unlicensed usage and findings
 * ({@link MakerDashboard} makes it), for the signed-in MAKER only, of its own maker id only.
 */
@Path("/dashboard/maker")
@Blocking
@PermitAll
public class MakerPages {
    @Inject MakerDashboard dashboard;

    @Inject Session session;

    @Inject
    @Location("maker.html")
    Template maker;

    /** A maker's earnings, lineage, unlicensed usage and findings. */
    @GET
    @Produces(MediaType.TEXT_HTML)
    public Response makerPage(@QueryParam("period") String period) {
        Optional<Viewer> v = Viewer.of(session);
        if (v.isEmpty() || !v.get().maker() || v.get().makerId() == null) {
            return Viewer.away(v);
        }
        YearMonth selected =
                period == null ? YearMonth.now(ZoneOffset.UTC) : SettlementResource.period(period);
        MakerView view = dashboard.view(v.get().user(), v.get().makerId(), selected);
        return Response.ok(maker.data("page", view.page()).data("pools", view.pools()))
                .type(MediaType.TEXT_HTML)
                .build();
    }
}
