package dev.fairshare.settlement.web;

import dev.fairshare.settlement.api.SettlementResource;
import dev.fairshare.settlement.service.dashboard.StatementLines;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The statement lines behind a number of the maker's or the finance page ({@link StatementLines}
 * finds them): a maker sees its own lines only.
 */
@Path("/dashboard/lines")
@Blocking
@Tag(name = "dashboard")
public class LinesPages {
    private final StatementLines statementLines;
    private final Session session;
    private final Template lines;

    public LinesPages(
            StatementLines statementLines,
            Session session,
            @Location("lines.html") Template lines) {
        this.statementLines = statementLines;
        this.session = session;
        this.lines = lines;
    }

    @GET
    @PermitAll
    @Path("{period}")
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "The statement lines behind a number of the dashboard")
    public Response linesPage(
            @PathParam("period") String period,
            @QueryParam("kind") String kind,
            @QueryParam("platformId") String platformId,
            @QueryParam("modelId") String modelId,
            @QueryParam("sourceModelId") String sourceModelId,
            @QueryParam("currency") String currency) {
        Optional<Viewer> v = Viewer.of(session);
        if (v.isEmpty() || !(v.get().maker() || v.get().finance())) {
            return Viewer.away(v);
        }
        var page =
                statementLines.page(
                        v.get().user(),
                        v.get().maker() ? v.get().makerId() : null,
                        SettlementResource.period(period),
                        new StatementLines.Filter(
                                kind, platformId, modelId, sourceModelId, currency));
        return Response.ok(lines.data("page", page)).type(MediaType.TEXT_HTML).build();
    }
}
