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
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Makers' proposals for platform aliases, decided by the platform (or ADMIN). */
@Path("/alias-proposals")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "aliases")
@SecurityRequirement(name = "bearer")
public class AliasProposalResource {
    @Inject AliasService aliases;
    @Inject Caller caller;

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.MAKER, Roles.PLATFORM})
    public Page<Dto.ProposalView> listAliasProposals(
            @QueryParam("platformId") String platformId,
            @QueryParam("status") String status,
            @BeanParam PageParams paging) {
        return aliases.proposals(platformId, status, caller.actor(), paging.page, paging.size);
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.MAKER, Roles.PLATFORM})
    @Path("/{id}")
    public Dto.ProposalView getAliasProposal(@PathParam("id") long id) {
        return aliases.proposal(id, caller.actor());
    }

    @POST
    @RolesAllowed({Roles.ADMIN, Roles.PLATFORM})
    @Path("/{id}/accept")
    public Dto.ProposalView acceptAliasProposal(
            @PathParam("id") long id, @RequestBody(required = false) Dto.DecisionRequest req) {
        return aliases.accept(id, req, caller.actor());
    }

    @POST
    @RolesAllowed({Roles.ADMIN, Roles.PLATFORM})
    @Path("/{id}/reject")
    public Dto.ProposalView rejectAliasProposal(
            @PathParam("id") long id, @RequestBody(required = false) Dto.DecisionRequest req) {
        return aliases.reject(id, req, caller.actor());
    }
}
