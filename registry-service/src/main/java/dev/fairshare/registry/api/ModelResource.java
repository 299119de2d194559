package dev.fairshare.registry.api;

import dev.fairshare.registry.auth.Caller;
import dev.fairshare.registry.auth.Roles;
import dev.fairshare.registry.service.AliasService;
import dev.fairshare.registry.service.Dto;
import dev.fairshare.registry.service.Page;
import dev.fairshare.registry.service.RegistryService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/models")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "models")
@SecurityRequirement(name = "bearer")
public class ModelResource {
    @Inject RegistryService registry;
    @Inject AliasService aliases;
    @Inject Caller caller;

    @POST
    @RolesAllowed({Roles.ADMIN, Roles.MAKER})
    @Operation(
            operationId = "createModel",
            summary = "Register a model with its licence and parents")
    @RequestBody(
            content =
                    @Content(
                            examples =
                                    @ExampleObject(
                                            name = "derived model",
                                            value =
                                                    "{\"id\": \"xtts-v2-ft\", \"makerId\": \"voicelab\", \"name\": \"XTTS v2 fine-tune\","
                                                            + " \"license\": {\"id\": \"CPML\", \"commercialUse\": false},"
                                                            + " \"parents\": [{\"modelId\": \"xtts-v2\", \"royaltyShare\": \"0.30\"}]}")))
    @APIResponse(
            responseCode = "201",
            description = "created",
            content = @Content(schema = @Schema(implementation = Dto.ModelView.class)))
    @APIResponse(responseCode = "409", description = "DUPLICATE_ID")
    @APIResponse(
            responseCode = "422",
            description =
                    "MISSING_FIELD, INVALID_ID, INVALID_SHARE, UNKNOWN_MAKER, UNKNOWN_PARENT, SHARES_EXCEED_ONE, LINEAGE_CYCLE")
    public Response create(Dto.ModelRequest req) {
        if (req != null) {
            caller.requireMaker(req.makerId());
        }
        Dto.ModelView m = registry.createModel(req);
        return Responses.created("/models/" + m.id(), m);
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.FINANCE, Roles.MAKER, Roles.PLATFORM})
    @Operation(operationId = "listModels", summary = "List models, optionally of one maker (paged)")
    @APIResponse(responseCode = "200", description = "a page of models")
    public Page<Dto.ModelView> list(
            @QueryParam("makerId") String makerId, @BeanParam PageParams paging) {
        return registry.models(makerId, paging.page, paging.size);
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.FINANCE, Roles.MAKER, Roles.PLATFORM})
    @Path("/{id}")
    @Operation(operationId = "getModel", summary = "One model with its parents and aliases")
    @APIResponse(responseCode = "404", description = "NOT_FOUND")
    @APIResponse(responseCode = "200", description = "the model with its parents and aliases")
    public Dto.ModelView get(@PathParam("id") String id) {
        return registry.model(id);
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.FINANCE, Roles.MAKER, Roles.PLATFORM})
    @Path("/{id}/lineage")
    @Operation(
            operationId = "getLineage",
            summary =
                    "The ancestor tree with each ancestor's share and effective share of this model's royalty")
    @APIResponse(responseCode = "404", description = "NOT_FOUND")
    @APIResponse(responseCode = "200", description = "the ancestor tree with shares")
    public Dto.Lineage lineage(@PathParam("id") String id) {
        return registry.lineage(id);
    }

    @POST
    @RolesAllowed({Roles.ADMIN, Roles.MAKER, Roles.PLATFORM})
    @Path("/{id}/aliases")
    @Operation(
            operationId = "addAlias",
            summary = "Name a model: a global or platform alias valid from a whole UTC day",
            description =
                    "Who may name a model (docs/security.md): a MAKER adds global aliases for refs in"
                            + " its namespaces (or the model's own id) and proposes platform aliases"
                            + " (202); the PLATFORM adds aliases to its own catalogue; ADMIN adds any,"
                            + " with a reason for a ref in another maker's namespace. Re-pointing a ref"
                            + " that resolves to another maker's model is ADMIN-only, with a reason,"
                            + " from the next UTC day.")
    @RequestBody(
            content =
                    @Content(
                            examples = {
                                @ExampleObject(
                                        name = "global alias (the maker, in its namespace)",
                                        value = "{\"ref\": \"coqui/XTTS-v2\"}"),
                                @ExampleObject(
                                        name =
                                                "platform alias (the platform, or a maker's proposal)",
                                        value =
                                                "{\"ref\": \"nordic-tts\", \"platformId\": \"acme-cloud\", \"validFrom\": \"2026-11-01T00:00:00Z\"}"),
                                @ExampleObject(
                                        name = "re-point (ADMIN)",
                                        value =
                                                "{\"ref\": \"coqui/XTTS-v2\", \"validFrom\": \"2026-12-06T00:00:00Z\","
                                                        + " \"reason\": \"ticket 4711: coqui transferred the model to voicelab\"}")
                            }))
    @APIResponse(
            responseCode = "201",
            description = "created; answers the model with its aliases",
            content = @Content(schema = @Schema(implementation = Dto.ModelView.class)))
    @APIResponse(
            responseCode = "202",
            description = "a MAKER's platform alias: proposed to the platform",
            content =
                    @Content(
                            schema = @Schema(implementation = Dto.ProposalView.class),
                            examples =
                                    @ExampleObject(
                                            name = "proposal",
                                            value =
                                                    "{\"proposalId\": 7, \"status\": \"PROPOSED\", \"modelId\": \"xtts-v2-nordic\","
                                                            + " \"makerId\": \"voicelab\", \"platformId\": \"acme-cloud\", \"ref\": \"nordic-tts-v2\","
                                                            + " \"validFrom\": \"1970-01-01T00:00:00Z\", \"proposedBy\": \"voicelab\","
                                                            + " \"proposedAt\": \"2026-12-05T10:00:00Z\", \"decidedBy\": null,"
                                                            + " \"decidedAt\": null, \"reason\": null}")))
    @APIResponse(
            responseCode = "403",
            description =
                    "FORBIDDEN (another maker's model, another platform's catalogue), REF_NOT_IN_NAMESPACE,"
                            + " REF_HELD_BY_ANOTHER_MAKER")
    @APIResponse(responseCode = "404", description = "NOT_FOUND")
    @APIResponse(responseCode = "409", description = "ALIAS_CONFLICT")
    @APIResponse(
            responseCode = "422",
            description =
                    "MISSING_FIELD, NOT_WHOLE_DAY, BAD_TIMESTAMP, UNKNOWN_PLATFORM, ALIAS_SHADOWS_MODEL,"
                            + " REASON_REQUIRED, RETROACTIVE_REPOINT")
    public Response addAlias(@PathParam("id") String id, Dto.AliasRequest req) {
        AliasService.Outcome outcome = aliases.add(id, req, caller.actor());
        if (outcome.proposal() != null) {
            return Response.accepted(outcome.proposal())
                    .location(URI.create("/alias-proposals/" + outcome.proposal().proposalId()))
                    .build();
        }
        return Responses.created("/models/" + id, outcome.model());
    }
}
