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
import java.sql.SQLException;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
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
    @Operation(
            operationId = "listQuarantinedRecords",
            summary =
                    "Inbound records set aside as UNPROCESSABLE_RECORD (each also in usage.dlq), newest"
                            + " first (paged); a PLATFORM sees its own")
    @SecurityRequirement(name = "bearer")
    @APIResponse(responseCode = "200", description = "the quarantined records")
    @APIResponse(responseCode = "400", description = "INVALID_PAGE, INVALID_VALUE")
    @APIResponse(responseCode = "401", description = "UNAUTHORIZED")
    @APIResponse(responseCode = "403", description = "FORBIDDEN (another platform's)")
    public Page<Quarantined> list(
            @QueryParam("platformId") String platformId,
            @QueryParam("page") @DefaultValue("0") int page,
            @QueryParam("size") @DefaultValue("100") int size)
            throws SQLException {
        return quarantines.list(caller.platformScope(platformId), page, size);
    }
}
