package dev.fairshare.registry.api;

import dev.fairshare.registry.auth.AuthService;
import dev.fairshare.registry.auth.Roles;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirements;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Tokens and accounts (API.md "Auth"). */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "auth")
public class AuthResource {
    private final AuthService auth;

    public AuthResource(AuthService auth) {
        this.auth = auth;
    }

    @POST
    @PermitAll
    @SecurityRequirements
    @Path("auth/token")
    @Operation(
            operationId = "issueToken",
            summary =
                    "Exchange a username and password, or a platform API key, for a signed access token")
    @RequestBody(
            content =
                    @Content(
                            examples = {
                                @ExampleObject(
                                        name = "password",
                                        value =
                                                "{\"username\": \"finance\", \"password\": \"correct horse battery\"}"),
                                @ExampleObject(
                                        name = "apiKey",
                                        value = "{\"apiKey\": \"fsk_3f2a9c01b7d4_…\"}")
                            }))
    @APIResponse(
            responseCode = "200",
            description = "{ accessToken, tokenType: Bearer, expiresIn }")
    @APIResponse(responseCode = "401", description = "INVALID_CREDENTIALS")
    @APIResponse(responseCode = "422", description = "MISSING_FIELD")
    public Dto.TokenResponse token(Dto.TokenRequest req) {
        return auth.token(req);
    }

    @POST
    @RolesAllowed(Roles.ADMIN)
    @SecurityRequirement(name = "bearer")
    @APIResponse(responseCode = "401", description = "UNAUTHORIZED: no valid bearer token")
    @APIResponse(
            responseCode = "403",
            description = "FORBIDDEN: the role or the tenant does not match")
    @Path("accounts")
    @Operation(
            operationId = "createAccount",
            summary = "Create an account (bound to a maker or platform where the role needs one)")
    @RequestBody(
            content =
                    @Content(
                            examples =
                                    @ExampleObject(
                                            name = "maker",
                                            value =
                                                    "{\"username\": \"coqui-finance\", \"password\": \"a long passphrase\", \"role\": \"MAKER\", \"makerId\": \"coqui\"}")))
    @APIResponse(
            responseCode = "201",
            description = "created (the password is never returned)",
            content = @Content(schema = @Schema(implementation = Dto.AccountView.class)))
    @APIResponse(responseCode = "409", description = "DUPLICATE_ID")
    @APIResponse(
            responseCode = "422",
            description =
                    "MISSING_FIELD, INVALID_ID, WEAK_PASSWORD, INVALID_ROLE, UNKNOWN_MAKER, UNKNOWN_PLATFORM, NOT_ALLOWED")
    public Response createAccount(Dto.AccountRequest req) {
        Dto.AccountView a = auth.createAccount(req);
        return Response.created(URI.create("/accounts/" + a.username())).entity(a).build();
    }

    @GET
    @RolesAllowed(Roles.ADMIN)
    @SecurityRequirement(name = "bearer")
    @APIResponse(responseCode = "401", description = "UNAUTHORIZED: no valid bearer token")
    @APIResponse(
            responseCode = "403",
            description = "FORBIDDEN: the role or the tenant does not match")
    @Path("accounts")
    @Operation(
            operationId = "listAccounts",
            summary = "Every account (never a password or its hash)")
    @APIResponse(responseCode = "200", description = "every account")
    public List<Dto.AccountView> accounts() {
        return auth.accounts();
    }
}
