package dev.fairshare.settlement.web;

import dev.fairshare.settlement.api.SettlementResource;
import dev.fairshare.settlement.service.dashboard.StatementLines;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Optional;

/**
 * The statement lines behind a number of the maker's or the finance page ({@link StatementLines}
 * finds them): a maker sees its own lines only.
 */
@Path("/dashboard/lines")
@Blocking
@PermitAll
public class LinesPages {
    @Inject StatementLines statementLines;

    @Inject Session session;

    @Inject
    @Location("lines.html")
    Template lines;

    /** The statement lines behind a number of the dashboard. */
    @GET
    @Path("{period}")
    @Produces(MediaType.TEXT_HTML)
    public Response linesPage(@PathParam("period") String period, @BeanParam LinesQuery query) {
        Optional<Viewer> v = Viewer.of(session);
        if (v.isEmpty() || !(v.get().maker() || v.get().finance())) {
            return Viewer.away(v);
        }
        var page =
                statementLines.page(
                        v.get().user(),
                        v.get().maker() ? v.get().makerId() : null,
                        SettlementResource.period(period),
                        query.filter());
        return Response.ok(lines.data("page", page)).type(MediaType.TEXT_HTML).build();
    }

    /** Which lines the page shows: {@code ?kind=&platformId=&modelId=&sourceModelId=&currency=}. */
    public record LinesQuery(
            @QueryParam("kind") String kind,
            @QueryParam("platformId") String platformId,
            @QueryParam("modelId") String modelId,
            @QueryParam("sourceModelId") String sourceModelId,
            @QueryParam("currency") String currency) {

        StatementLines.Filter filter() {
            return new StatementLines.Filter(kind, platformId, modelId, sourceModelId, currency);
        }
    }
}
