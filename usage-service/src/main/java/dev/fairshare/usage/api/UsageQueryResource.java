package dev.fairshare.usage.api;

import dev.fairshare.usage.domain.UsageViews.StoredEvent;
import dev.fairshare.usage.domain.UsageViews.SummaryItem;
import dev.fairshare.usage.domain.UsageViews.Unattributed;
import dev.fairshare.usage.problem.FieldError;
import dev.fairshare.usage.problem.ProblemException;
import dev.fairshare.usage.service.Page;
import dev.fairshare.usage.service.UsageQueryService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/usage")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "usage")
@RolesAllowed({Caller.PLATFORM, Caller.FINANCE, Caller.ADMIN})
@SecurityRequirement(name = "bearer")
public class UsageQueryResource {
    @Inject UsageQueryService queries;
    @Inject Caller caller;

    @GET
    @Path("/summary")
    public Map<String, List<SummaryItem>> getUsageSummary(
            @BeanParam UsageFilter filter,
            @QueryParam("groupBy") @DefaultValue("day") String groupBy) {
        if (!groupBy.equals("day") && !groupBy.equals("month")) {
            throw QueryParams.invalid("groupBy", "groupBy must be day or month");
        }
        return Map.of(
                "items",
                queries.summary(
                        caller.platformScope(filter.platformId()),
                        filter.modelId(),
                        filter.fromDay(),
                        filter.toDay(),
                        groupBy));
    }

    @GET
    @Path("/unattributed")
    public Map<String, List<Unattributed>> listUnattributedUsage(
            @QueryParam("platformId") String platformId) {
        return Map.of("items", queries.unattributed(caller.platformScope(platformId)));
    }

    @GET
    @Path("/events/{platformId}/{eventId}")
    public StoredEvent getUsageEvent(
            @PathParam("platformId") String platformId, @PathParam("eventId") String eventId) {
        return queries.event(platformId, eventId, caller.platformId());
    }

    @GET
    @Path("/events")
    public Page<StoredEvent> listUsageEvents(
            @BeanParam UsageFilter filter,
            @QueryParam("page") @DefaultValue("0") int page,
            @QueryParam("size") @DefaultValue("100") int size) {
        String platformId = caller.platformScope(filter.platformId());
        if (platformId == null || platformId.isBlank()) {
            throw new ProblemException(
                    400,
                    "MISSING_FIELD",
                    "platformId is required",
                    List.of(
                            new FieldError(
                                    "platformId", "MISSING_FIELD", "platformId is required")));
        }
        Page.check(page, size);
        return queries.events(
                platformId, filter.modelId(), filter.fromDay(), filter.toDay(), page, size);
    }
}
