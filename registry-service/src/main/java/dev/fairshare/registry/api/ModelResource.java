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
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

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
    public RestResponse<Dto.ModelView> createModel(Dto.ModelRequest req) {
        if (req != null) {
            caller.requireMaker(req.makerId());
        }
        Dto.ModelView m = registry.createModel(req);
        return Responses.created("/models/" + m.id(), m);
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.FINANCE, Roles.MAKER, Roles.PLATFORM})
    public Page<Dto.ModelView> listModels(
            @QueryParam("makerId") String makerId, @BeanParam PageParams paging) {
        return registry.models(makerId, paging.page, paging.size);
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.FINANCE, Roles.MAKER, Roles.PLATFORM})
    @Path("/{id}")
    public Dto.ModelView getModel(@PathParam("id") String id) {
        return registry.model(id);
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.FINANCE, Roles.MAKER, Roles.PLATFORM})
    @Path("/{id}/lineage")
    public Dto.Lineage getLineage(@PathParam("id") String id) {
        return registry.lineage(id);
    }

    @POST
    @RolesAllowed({Roles.ADMIN, Roles.MAKER, Roles.PLATFORM})
    @Path("/{id}/aliases")
    public Response addAlias(@PathParam("id") String id, Dto.AliasRequest req) {
        AliasService.Outcome outcome = aliases.add(id, req, caller.actor());
        if (outcome.proposal() != null) {
            return Response.accepted(outcome.proposal())
                    .location(URI.create("/alias-proposals/" + outcome.proposal().proposalId()))
                    .build();
        }
        return Response.created(URI.create("/models/" + id)).entity(outcome.model()).build();
    }
}
