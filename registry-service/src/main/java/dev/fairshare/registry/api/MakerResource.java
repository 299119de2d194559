package dev.fairshare.registry.api;

import dev.fairshare.registry.auth.Roles;
import dev.fairshare.registry.service.RegistryService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
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
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/makers")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "makers")
public class MakerResource {
    private final RegistryService registry;

    public MakerResource(RegistryService registry) {
        this.registry = registry;
    }

    @POST
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Register a model maker")
    @RequestBody(
            content =
                    @Content(
                            examples =
                                    @ExampleObject(
                                            name = "maker",
                                            value = "{\"id\": \"coqui\", \"name\": \"Coqui\"}")))
    @APIResponse(responseCode = "201", description = "created")
    @APIResponse(responseCode = "409", description = "DUPLICATE_ID")
    @APIResponse(responseCode = "422", description = "MISSING_FIELD, INVALID_ID")
    public Response create(Dto.MakerRequest req) {
        Dto.MakerView m = registry.createMaker(req);
        return Response.created(URI.create("/makers/" + m.id())).entity(m).build();
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.FINANCE, Roles.MAKER, Roles.PLATFORM})
    @Operation(summary = "List makers (paged)")
    public Page<Dto.MakerView> list(
            @QueryParam("page") @DefaultValue("0") int page,
            @QueryParam("size") @DefaultValue("100") int size) {
        return registry.makers(page, size);
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.FINANCE, Roles.MAKER, Roles.PLATFORM})
    @Path("/{id}")
    @Operation(summary = "One maker")
    @APIResponse(responseCode = "404", description = "NOT_FOUND")
    public Dto.MakerView get(@PathParam("id") String id) {
        return registry.maker(id);
    }
}
