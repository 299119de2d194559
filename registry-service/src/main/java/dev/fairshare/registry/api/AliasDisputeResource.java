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
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

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
    @Operation(
            operationId = "reattributeAlias",
            summary = "Move a ref's usage from a whole UTC day on to another model (a dispute)",
            description =
                    "The scope's alias resolves to toModelId from `from` on, so new events follow;"
                            + " usage-service re-attributes the stored events and sends negative"
                            + " usage.attributed deltas for the models that lose them and positive ones"
                            + " for toModelId; settlement pays closed periods' differences as"
                            + " LATE_ADJUSTMENT lines.")
    @RequestBody(
            content =
                    @Content(
                            examples =
                                    @ExampleObject(
                                            name = "dispute",
                                            value =
                                                    "{\"ref\": \"coqui/XTTS-v2\", \"platformId\": \"acme-cloud\","
                                                            + " \"toModelId\": \"xtts-v2\", \"from\": \"2026-11-01T00:00:00Z\","
                                                            + " \"reason\": \"ticket 4711: the ref is coqui's\"}")))
    @APIResponse(
            responseCode = "202",
            description = "accepted; the stored events are re-attributed asynchronously",
            content =
                    @Content(
                            schema = @Schema(implementation = ReattributionDto.Accepted.class),
                            examples =
                                    @ExampleObject(
                                            name = "accepted",
                                            value =
                                                    "{\"disputeId\": \"6f1c…\", \"status\": \"ACCEPTED\", \"ref\": \"coqui/XTTS-v2\","
                                                            + " \"platformId\": \"acme-cloud\", \"toModelId\": \"xtts-v2\","
                                                            + " \"from\": \"2026-11-01T00:00:00Z\", \"reason\": \"ticket 4711: the ref is coqui's\","
                                                            + " \"replacedModelId\": \"xtts-v2-nordic\"}")))
    @APIResponse(responseCode = "400", description = "MALFORMED_JSON")
    @APIResponse(responseCode = "403", description = "FORBIDDEN (not ADMIN)")
    @APIResponse(
            responseCode = "409",
            description = "LATER_ALIAS_IN_SCOPE: a later alias of the scope names another model")
    @APIResponse(
            responseCode = "422",
            description =
                    "MISSING_FIELD, NOT_WHOLE_DAY, BAD_TIMESTAMP, FROM_IN_FUTURE, UNKNOWN_MODEL,"
                            + " UNKNOWN_PLATFORM, ALIAS_SHADOWS_MODEL")
    public Response reattribute(ReattributionDto.Request req) {
        ReattributionDto.Accepted accepted = disputes.reattribute(req, token.getName());
        return Response.accepted(accepted).build();
    }
}
