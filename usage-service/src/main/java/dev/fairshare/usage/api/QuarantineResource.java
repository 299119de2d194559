package dev.fairshare.usage.api;

import dev.fairshare.usage.domain.UsageViews.Quarantined;
import dev.fairshare.usage.service.Page;
import dev.fairshare.usage.service.QuarantineService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The inbound records that the consumer set aside instead of storing (docs/operations.md,
 * "Quarantined records"): until someone has looked at them, the platform's usage is incomplete.
 */
@Path("/quarantine")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "usage")
public class QuarantineResource {
    @Inject QuarantineService quarantines;
    @Inject Caller caller;

    @GET
    @RolesAllowed({Caller.PLATFORM, Caller.FINANCE, Caller.ADMIN})
    @SecurityRequirement(name = "bearer")
    public Page<Quarantined> listQuarantinedRecords(
            @QueryParam("platformId") String platformId,
            @QueryParam("page") @DefaultValue("0") int page,
            @QueryParam("size") @DefaultValue("100") int size) {
        return quarantines.list(caller.platformScope(platformId), page, size);
    }
}
