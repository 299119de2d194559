package dev.fairshare.registry.api;

import dev.fairshare.registry.auth.Caller;
import dev.fairshare.registry.auth.Roles;
import dev.fairshare.registry.service.Dto;
import dev.fairshare.registry.service.NamespaceService;
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
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

@Path("/makers")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "makers")
@SecurityRequirement(name = "bearer")
public class MakerResource {
    @Inject RegistryService registry;
    @Inject NamespaceService namespaces;
    @Inject Caller caller;

    @POST
    @RolesAllowed(Roles.ADMIN)
    public RestResponse<Dto.MakerView> createMaker(Dto.MakerRequest req) {
        Dto.MakerView m = registry.createMaker(req);
        return Responses.created("/makers/" + m.id(), m);
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.FINANCE, Roles.MAKER, Roles.PLATFORM})
    public Page<Dto.MakerView> listMakers(@BeanParam PageParams paging) {
        return registry.makers(paging.page, paging.size);
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.FINANCE, Roles.MAKER, Roles.PLATFORM})
    @Path("/{id}")
    public Dto.MakerView getMaker(@PathParam("id") String id) {
        return registry.maker(id);
    }

    @POST
    @RolesAllowed(Roles.ADMIN)
    @Path("/{id}/namespaces")
    public RestResponse<Dto.NamespaceView> grantNamespace(
            @PathParam("id") String id, Dto.NamespaceRequest req) {
        Dto.NamespaceView n = namespaces.grant(id, req);
        return Responses.created("/makers/" + id + "/namespaces", n);
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.MAKER})
    @Path("/{id}/namespaces")
    public Page<Dto.NamespaceView> listNamespaces(
            @PathParam("id") String id, @BeanParam PageParams paging) {
        caller.requireMaker(id);
        return namespaces.list(id, paging.page, paging.size);
    }
}
