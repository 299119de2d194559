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
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

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
    @Operation(
            operationId = "issueKafkaCredentials",
            summary =
                    "Issue the platform's Kafka credentials (SASL/SCRAM-SHA-512, write access to"
                            + " usage.in.<id> only): the password is shown in this answer once;"
                            + " the previous password stops working")
    @APIResponse(
            responseCode = "201",
            description =
                    "{ username, password, bootstrapServers, securityProtocol, saslMechanism,"
                            + " topic, issuedAt }",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = Dto.KafkaCredentials.class)))
    @APIResponse(responseCode = "403", description = "not ADMIN")
    @APIResponse(responseCode = "404", description = "NOT_FOUND")
    @APIResponse(
            responseCode = "503",
            description = "KAFKA_UNAVAILABLE: the broker did not take the change")
    public Response issueKafkaCredentials(@PathParam("id") String id) {
        Dto.KafkaCredentials credentials = kafkaCredentials.issue(id);
        return Responses.created("/platforms/" + id + "/kafka-credentials", credentials);
    }

    @DELETE
    @RolesAllowed(Roles.ADMIN)
    @Path("/{id}/kafka-credentials")
    @Operation(
            operationId = "revokeKafkaCredentials",
            summary =
                    "Revoke the platform's Kafka credentials: its password and its ACLs are"
                            + " deleted, so it can no longer connect or write")
    @APIResponse(responseCode = "204", description = "revoked")
    @APIResponse(responseCode = "403", description = "not ADMIN")
    @APIResponse(responseCode = "404", description = "NOT_FOUND")
    @APIResponse(
            responseCode = "503",
            description = "KAFKA_UNAVAILABLE: the broker did not take the change")
    public void revokeKafkaCredentials(@PathParam("id") String id) {
        kafkaCredentials.revoke(id);
    }

    @POST
    @RolesAllowed(Roles.ADMIN)
    @Path("/{id}/api-keys")
    @Operation(
            operationId = "createApiKey",
            summary =
                    "Issue an API key for the platform: shown in this answer once, stored only as a hash")
    @APIResponse(
            responseCode = "201",
            description = "{ apiKey, keyId, platformId, createdAt }",
            content = @Content(schema = @Schema(implementation = Dto.ApiKeyCreated.class)))
    @APIResponse(responseCode = "404", description = "NOT_FOUND")
    public Response createApiKey(@PathParam("id") String id) {
        Dto.ApiKeyCreated key = auth.createApiKey(id);
        return Responses.created("/platforms/" + id + "/api-keys/" + key.keyId(), key);
    }

    @GET
    @RolesAllowed(Roles.ADMIN)
    @Path("/{id}/api-keys")
    @Operation(
            operationId = "listApiKeys",
            summary = "The platform's API keys (ids and dates; never the secrets)")
    @APIResponse(responseCode = "404", description = "NOT_FOUND")
    @APIResponse(responseCode = "200", description = "the platform's keys, never their secrets")
    public List<Dto.ApiKeyView> apiKeys(@PathParam("id") String id) {
        return auth.apiKeys(id);
    }

    @DELETE
    @RolesAllowed(Roles.ADMIN)
    @Path("/{id}/api-keys/{keyId}")
    @Operation(
            operationId = "revokeApiKey",
            summary = "Revoke an API key: token requests with it are refused from now on")
    @APIResponse(responseCode = "204", description = "revoked")
    @APIResponse(responseCode = "404", description = "NOT_FOUND")
    public void revokeApiKey(@PathParam("id") String id, @PathParam("keyId") String keyId) {
        auth.revokeApiKey(id, keyId);
    }

    @POST
    @RolesAllowed(Roles.ADMIN)
    @Operation(
            operationId = "createPlatform",
            summary =
                    "Onboard a hosting platform: creates its inbound topic usage.in.<id> and its"
                            + " Kafka credentials, whose password is shown in this answer once")
    @RequestBody(
            content =
                    @Content(
                            examples =
                                    @ExampleObject(
                                            name = "platform",
                                            value =
                                                    "{\"id\": \"acme-cloud\", \"name\": \"Acme Cloud\"}")))
    @APIResponse(
            responseCode = "201",
            description = "created: { id, name, createdAt, kafka: { username, password, ... } }",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = Dto.PlatformOnboarded.class)))
    @APIResponse(responseCode = "409", description = "DUPLICATE_ID")
    @APIResponse(responseCode = "503", description = "KAFKA_UNAVAILABLE: nothing was created")
    @APIResponse(responseCode = "422", description = "MISSING_FIELD, INVALID_ID")
    public Response create(Dto.PlatformRequest req) {
        Dto.PlatformOnboarded m = registry.createPlatform(req);
        return Responses.created("/platforms/" + m.id(), m);
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.FINANCE, Roles.MAKER, Roles.PLATFORM})
    @Operation(operationId = "listPlatforms", summary = "List platforms (paged)")
    @APIResponse(responseCode = "200", description = "a page of platforms")
    public Page<Dto.PlatformView> list(@BeanParam PageParams paging) {
        return registry.platforms(paging.page, paging.size);
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.FINANCE, Roles.MAKER, Roles.PLATFORM})
    @Path("/{id}")
    @Operation(operationId = "getPlatform", summary = "One platform")
    @APIResponse(responseCode = "404", description = "NOT_FOUND")
    @APIResponse(responseCode = "200", description = "the platform")
    public Dto.PlatformView get(@PathParam("id") String id) {
        return registry.platform(id);
    }
}
