package dev.fairshare.registry.api;

import dev.fairshare.registry.auth.Caller;
import dev.fairshare.registry.auth.Roles;
import dev.fairshare.registry.service.AuditQueries;
import dev.fairshare.registry.service.Dto;
import dev.fairshare.registry.service.Page;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The append-only log of every registry change. */
@Path("/audit")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "audit")
@SecurityRequirement(name = "bearer")
public class AuditResource {
    @Inject AuditQueries audit;
    @Inject Caller caller;

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.FINANCE, Roles.MAKER, Roles.PLATFORM})
    @Operation(
            operationId = "listAuditEntries",
            summary =
                    "Registry changes, oldest first (paged): who, when, what, before and after, reason",
            description =
                    "ADMIN and FINANCE see every entry; a MAKER or PLATFORM the entries about its own"
                            + " makers, models, aliases, proposals, agreements, accounts and keys."
                            + " from is inclusive, to exclusive (ISO-8601 instants).")
    @APIResponse(
            responseCode = "200",
            description =
                    "{ items, page, size, total }: {id, at, actor, role, entityType, entityId, action,"
                            + " before, after, reason} (docs/api.md has an example)")
    @APIResponse(responseCode = "400", description = "INVALID_PAGE")
    @APIResponse(responseCode = "422", description = "BAD_TIMESTAMP")
    public Page<Dto.AuditEntryView> list(
            @QueryParam("entityType") String entityType,
            @QueryParam("entityId") String entityId,
            @QueryParam("from") String from,
            @QueryParam("to") String to,
            @BeanParam PageParams paging) {
        return audit.list(entityType, entityId, from, to, caller.actor(), paging.page, paging.size);
    }
}
