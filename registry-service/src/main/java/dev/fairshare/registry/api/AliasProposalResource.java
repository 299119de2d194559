package dev.fairshare.registry.api;

import dev.fairshare.registry.auth.Caller;
import dev.fairshare.registry.auth.Roles;
import dev.fairshare.registry.service.AliasService;
import dev.fairshare.registry.service.Dto;
import dev.fairshare.registry.service.Page;
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
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Makers' proposals for platform aliases, decided by the platform (or ADMIN). */
@Path("/alias-proposals")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "aliases")
@SecurityRequirement(name = "bearer")
public class AliasProposalResource {
    static final String PROPOSAL_EXAMPLE =
            "{\"proposalId\": 7, \"status\": \"ACCEPTED\", \"modelId\": \"xtts-v2-nordic\","
                    + " \"makerId\": \"voicelab\", \"platformId\": \"acme-cloud\", \"ref\":"
                    + " \"nordic-tts-v2\", \"validFrom\": \"1970-01-01T00:00:00Z\", \"proposedBy\":"
                    + " \"voicelab\", \"proposedAt\": \"2026-12-05T10:00:00Z\", \"decidedBy\":"
                    + " \"acme\", \"decidedAt\": \"2026-12-05T11:00:00Z\", \"reason\": null}";

    @Inject AliasService aliases;
    @Inject Caller caller;

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.MAKER, Roles.PLATFORM})
    @Operation(
            operationId = "listAliasProposals",
            summary =
                    "Proposals for platform aliases: a PLATFORM sees its own, a MAKER its own, ADMIN all"
                            + " (paged)")
    @APIResponse(responseCode = "200", description = "{ items, page, size, total }")
    @APIResponse(responseCode = "403", description = "FORBIDDEN (another platform's list)")
    @APIResponse(responseCode = "422", description = "INVALID_VALUE (status)")
    public Page<Dto.ProposalView> list(
            @QueryParam("platformId") String platformId,
            @QueryParam("status") String status,
            @BeanParam PageParams paging) {
        return aliases.proposals(platformId, status, caller.actor(), paging.page, paging.size);
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.MAKER, Roles.PLATFORM})
    @Path("/{id}")
    @Operation(
            operationId = "getAliasProposal",
            summary = "One proposal (another maker's does not exist for a MAKER)")
    @APIResponse(responseCode = "404", description = "NOT_FOUND")
    @APIResponse(responseCode = "200", description = "the proposal")
    public Dto.ProposalView get(@PathParam("id") long id) {
        return aliases.proposal(id, caller.actor());
    }

    @POST
    @RolesAllowed({Roles.ADMIN, Roles.PLATFORM})
    @Path("/{id}/accept")
    @Operation(
            operationId = "acceptAliasProposal",
            summary = "Accept a proposal: it becomes an alias of the platform's catalogue",
            description =
                    "The proposal's platform or ADMIN. The alias is checked as if the acceptor added"
                            + " it: a ref that now resolves to another maker's model needs ADMIN, a"
                            + " reason and a validFrom from the next UTC day.")
    @RequestBody(
            required = false,
            content =
                    @Content(
                            examples =
                                    @ExampleObject(
                                            name = "accept",
                                            value = "{\"reason\": \"in our catalogue since v2\"}")))
    @APIResponse(
            responseCode = "200",
            description = "the proposal, ACCEPTED",
            content =
                    @Content(
                            schema = @Schema(implementation = Dto.ProposalView.class),
                            examples = @ExampleObject(name = "accepted", value = PROPOSAL_EXAMPLE)))
    @APIResponse(
            responseCode = "403",
            description = "FORBIDDEN (a MAKER, FINANCE), REF_HELD_BY_ANOTHER_MAKER")
    @APIResponse(responseCode = "404", description = "NOT_FOUND (also another platform's proposal)")
    @APIResponse(responseCode = "409", description = "PROPOSAL_DECIDED, ALIAS_CONFLICT")
    @APIResponse(responseCode = "422", description = "REASON_REQUIRED, RETROACTIVE_REPOINT")
    public Dto.ProposalView accept(@PathParam("id") long id, Dto.DecisionRequest req) {
        return aliases.accept(id, req, caller.actor());
    }

    @POST
    @RolesAllowed({Roles.ADMIN, Roles.PLATFORM})
    @Path("/{id}/reject")
    @Operation(operationId = "rejectAliasProposal", summary = "Reject a proposal: nothing is named")
    @RequestBody(
            required = false,
            content =
                    @Content(
                            examples =
                                    @ExampleObject(
                                            name = "reject",
                                            value = "{\"reason\": \"not a name we use\"}")))
    @APIResponse(responseCode = "200", description = "the proposal, REJECTED")
    @APIResponse(responseCode = "403", description = "FORBIDDEN (a MAKER, FINANCE)")
    @APIResponse(responseCode = "404", description = "NOT_FOUND (also another platform's proposal)")
    @APIResponse(responseCode = "409", description = "PROPOSAL_DECIDED")
    public Dto.ProposalView reject(@PathParam("id") long id, Dto.DecisionRequest req) {
        return aliases.reject(id, req, caller.actor());
    }
}
