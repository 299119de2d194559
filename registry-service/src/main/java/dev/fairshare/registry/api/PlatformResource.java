package dev.fairshare.registry.api;

import dev.fairshare.registry.auth.AuthService;
import dev.fairshare.registry.auth.Roles;
import dev.fairshare.registry.service.Dto;
import dev.fairshare.registry.service.KafkaCredentialService;
import dev.fairshare.registry.service.Page;
import dev.fairshare.registry.service.RegistryService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

@Path("/platforms")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "platforms")
@SecurityRequirement(name = "bearer")
public class PlatformResource {
    @Inject RegistryService registry;

    @Inject AuthService auth;

    @Inject KafkaCredentialService kafkaCredentials;

    @POST
    @RolesAllowed(Roles.ADMIN)
    @Path("/{id}/kafka-credentials")
    public RestResponse<Dto.KafkaCredentials> issueKafkaCredentials(@PathParam("id") String id) {
        Dto.KafkaCredentials credentials = kafkaCredentials.issue(id);
        return Responses.created("/platforms/" + id + "/kafka-credentials", credentials);
    }

    @DELETE
    @RolesAllowed(Roles.ADMIN)
    @Path("/{id}/kafka-credentials")
    public void revokeKafkaCredentials(@PathParam("id") String id) {
        kafkaCredentials.revoke(id);
    }

    @POST
    @RolesAllowed(Roles.ADMIN)
    @Path("/{id}/api-keys")
    public RestResponse<Dto.ApiKeyCreated> createApiKey(@PathParam("id") String id) {
        Dto.ApiKeyCreated key = auth.createApiKey(id);
        return Responses.created("/platforms/" + id + "/api-keys/" + key.keyId(), key);
    }

    @GET
    @RolesAllowed(Roles.ADMIN)
    @Path("/{id}/api-keys")
    public List<Dto.ApiKeyView> listApiKeys(@PathParam("id") String id) {
        return auth.apiKeys(id);
    }

    @DELETE
    @RolesAllowed(Roles.ADMIN)
    @Path("/{id}/api-keys/{keyId}")
    public void revokeApiKey(@PathParam("id") String id, @PathParam("keyId") String keyId) {
        auth.revokeApiKey(id, keyId);
    }

    @POST
    @RolesAllowed(Roles.ADMIN)
    public RestResponse<Dto.PlatformOnboarded> createPlatform(Dto.PlatformRequest req) {
        Dto.PlatformOnboarded m = registry.createPlatform(req);
        return Responses.created("/platforms/" + m.id(), m);
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.FINANCE, Roles.MAKER, Roles.PLATFORM})
    public Page<Dto.PlatformView> listPlatforms(@BeanParam PageParams paging) {
        return registry.platforms(paging.page, paging.size);
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.FINANCE, Roles.MAKER, Roles.PLATFORM})
    @Path("/{id}")
    public Dto.PlatformView getPlatform(@PathParam("id") String id) {
        return registry.platform(id);
    }
}
