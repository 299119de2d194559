package dev.fairshare.registry.api;

import dev.fairshare.registry.auth.Roles;
import dev.fairshare.registry.service.AliasDisputeService;
import dev.fairshare.registry.service.ReattributionDto;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

/** Dispute corrections: a ref's past usage moved to another model (ADMIN only). */
@Path("/aliases")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "aliases")
@SecurityRequirement(name = "bearer")
public class AliasDisputeResource {
    @Inject AliasDisputeService disputes;
    @Inject JsonWebToken token;

    @POST
    @Path("/reattribute")
    @RolesAllowed(Roles.ADMIN)
    public RestResponse<ReattributionDto.Accepted> reattributeAlias(ReattributionDto.Request req) {
        ReattributionDto.Accepted accepted = disputes.reattribute(req, token.getName());
        return RestResponse.accepted(accepted);
    }
}
