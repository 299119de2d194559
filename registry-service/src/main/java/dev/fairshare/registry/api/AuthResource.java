package dev.fairshare.registry.api;

import dev.fairshare.registry.auth.AuthService;
import dev.fairshare.registry.auth.Caller;
import dev.fairshare.registry.auth.Roles;
import dev.fairshare.registry.service.Dto;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
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
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirements;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Tokens and accounts (API.md "Auth"). */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "auth")
@SecurityRequirement(name = "bearer")
public class AuthResource {
    @Inject AuthService auth;
    @Inject Caller caller;

    /**
     * The client's address: the peer of the connection, or the address a trusted proxy forwarded
     * (only with {@code quarkus.http.proxy.*} configured; X-Forwarded-For is ignored otherwise).
     */
    static String address(HttpServerRequest request) {
        return request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress();
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
    @APIResponse(responseCode = "401", description = "INVALID_CREDENTIALS, ACCOUNT_DISABLED")
    @APIResponse(responseCode = "422", description = "MISSING_FIELD")
    @APIResponse(
            responseCode = "429",
            description =
                    "TOO_MANY_ATTEMPTS: too many failed sign-ins for this username (or key) or from this"
                            + " address; the Retry-After header says how many seconds to wait")
    public Dto.TokenResponse token(Dto.TokenRequest req, @Context HttpServerRequest request) {
        return auth.token(req, address(request));
    }

    @POST
    @RolesAllowed(Roles.ADMIN)
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
        return Responses.created("/accounts/" + a.username(), a);
    }

    @GET
    @RolesAllowed(Roles.ADMIN)
    @Path("accounts")
    @Operation(
            operationId = "listAccounts",
            summary = "Every account (never a password or its hash)")
    @APIResponse(responseCode = "200", description = "every account")
    public List<Dto.AccountView> accounts() {
        return auth.accounts();
    }

    @POST
    @RolesAllowed({Roles.ADMIN, Roles.FINANCE, Roles.MAKER, Roles.PLATFORM})
    @Path("accounts/{username}/password")
    @Operation(
            operationId = "changePassword",
            summary =
                    "Set a new password: the account itself gives its old one; ADMIN sets any account's")
    @RequestBody(
            content =
                    @Content(
                            examples =
                                    @ExampleObject(
                                            name = "own",
                                            value =
                                                    "{\"oldPassword\": \"correct horse battery\", \"newPassword\": \"a longer passphrase\"}")))
    @APIResponse(responseCode = "204", description = "changed")
    @APIResponse(responseCode = "403", description = "FORBIDDEN: another account, and not ADMIN")
    @APIResponse(responseCode = "404", description = "NOT_FOUND")
    @APIResponse(
            responseCode = "422",
            description = "MISSING_FIELD, WEAK_PASSWORD, WRONG_PASSWORD (oldPassword)")
    @APIResponse(responseCode = "429", description = "TOO_MANY_ATTEMPTS (with Retry-After)")
    public Response changePassword(
            @PathParam("username") String username,
            Dto.PasswordChange req,
            @Context HttpServerRequest request) {
        auth.changePassword(username, req, caller, address(request));
        return Response.noContent().build();
    }

    @POST
    @RolesAllowed(Roles.ADMIN)
    @Path("accounts/{username}/disable")
    @Operation(
            operationId = "disableAccount",
            summary =
                    "Disable an account: no token from now on (a PLATFORM account's platform keys neither)")
    @APIResponse(responseCode = "200", description = "the account with its disabledAt")
    @APIResponse(responseCode = "404", description = "NOT_FOUND")
    @APIResponse(responseCode = "409", description = "LAST_ADMIN")
    public Dto.AccountView disable(@PathParam("username") String username) {
        return auth.setDisabled(username, true);
    }

    @POST
    @RolesAllowed(Roles.ADMIN)
    @Path("accounts/{username}/enable")
    @Operation(operationId = "enableAccount", summary = "Enable a disabled account again")
    @APIResponse(responseCode = "200", description = "the account, disabledAt null")
    @APIResponse(responseCode = "404", description = "NOT_FOUND")
    public Dto.AccountView enable(@PathParam("username") String username) {
        return auth.setDisabled(username, false);
    }
}
