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
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

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
    @Operation(operationId = "createMaker", summary = "Register a model maker")
    @RequestBody(
            content =
                    @Content(
                            examples =
                                    @ExampleObject(
                                            name = "maker",
                                            value = "{\"id\": \"coqui\", \"name\": \"Coqui\"}")))
    @APIResponse(
            responseCode = "201",
            description = "created",
            content = @Content(schema = @Schema(implementation = Dto.MakerView.class)))
    @APIResponse(responseCode = "409", description = "DUPLICATE_ID")
    @APIResponse(responseCode = "422", description = "MISSING_FIELD, INVALID_ID")
    public Response create(Dto.MakerRequest req) {
        Dto.MakerView m = registry.createMaker(req);
        return Responses.created("/makers/" + m.id(), m);
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.FINANCE, Roles.MAKER, Roles.PLATFORM})
    @Operation(operationId = "listMakers", summary = "List makers (paged)")
    @APIResponse(responseCode = "200", description = "a page of makers")
    public Page<Dto.MakerView> list(@BeanParam PageParams paging) {
        return registry.makers(paging.page, paging.size);
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.FINANCE, Roles.MAKER, Roles.PLATFORM})
    @Path("/{id}")
    @Operation(operationId = "getMaker", summary = "One maker")
    @APIResponse(responseCode = "404", description = "NOT_FOUND")
    @APIResponse(responseCode = "200", description = "the maker")
    public Dto.MakerView get(@PathParam("id") String id) {
        return registry.maker(id);
    }

    @POST
    @RolesAllowed(Roles.ADMIN)
    @Path("/{id}/namespaces")
    @Operation(
            operationId = "grantNamespace",
            summary = "Grant the maker a namespace: a ref prefix ending in '/' (after checking it)",
            description =
                    "The maker's global aliases are refs in its namespaces. A prefix belongs to one"
                            + " maker: it may not equal, contain or be contained in another maker's"
                            + " (ignoring case).")
    @RequestBody(
            content =
                    @Content(
                            examples =
                                    @ExampleObject(
                                            name = "Hugging Face organisation",
                                            value = "{\"prefix\": \"coqui/\"}")))
    @APIResponse(
            responseCode = "201",
            description = "granted",
            content =
                    @Content(
                            schema = @Schema(implementation = Dto.NamespaceView.class),
                            examples =
                                    @ExampleObject(
                                            name = "namespace",
                                            value =
                                                    "{\"prefix\": \"coqui/\", \"makerId\": \"coqui\", \"createdAt\": \"2026-12-05T10:00:00Z\"}")))
    @APIResponse(responseCode = "404", description = "NOT_FOUND")
    @APIResponse(responseCode = "409", description = "NAMESPACE_TAKEN")
    @APIResponse(responseCode = "422", description = "MISSING_FIELD, INVALID_PREFIX")
    public Response grantNamespace(@PathParam("id") String id, Dto.NamespaceRequest req) {
        Dto.NamespaceView n = namespaces.grant(id, req);
        return Responses.created("/makers/" + id + "/namespaces", n);
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.MAKER})
    @Path("/{id}/namespaces")
    @Operation(
            operationId = "listNamespaces",
            summary = "The maker's namespaces (that MAKER, ADMIN; paged)")
    @APIResponse(responseCode = "403", description = "FORBIDDEN (another maker)")
    @APIResponse(responseCode = "404", description = "NOT_FOUND")
    @APIResponse(responseCode = "200", description = "a page of the maker's namespaces")
    public Page<Dto.NamespaceView> namespaces(
            @PathParam("id") String id, @BeanParam PageParams paging) {
        caller.requireMaker(id);
        return namespaces.list(id, paging.page, paging.size);
    }
}
