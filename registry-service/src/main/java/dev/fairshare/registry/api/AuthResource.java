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
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirements;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

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
    public Dto.TokenResponse issueToken(Dto.TokenRequest req, @Context HttpServerRequest request) {
        return auth.token(req, address(request));
    }

    @POST
    @RolesAllowed(Roles.ADMIN)
    @Path("accounts")
    public RestResponse<Dto.AccountView> createAccount(Dto.AccountRequest req) {
        Dto.AccountView a = auth.createAccount(req);
        return Responses.created("/accounts/" + a.username(), a);
    }

    @GET
    @RolesAllowed(Roles.ADMIN)
    @Path("accounts")
    public List<Dto.AccountView> listAccounts() {
        return auth.accounts();
    }

    @POST
    @RolesAllowed({Roles.ADMIN, Roles.FINANCE, Roles.MAKER, Roles.PLATFORM})
    @Path("accounts/{username}/password")
    public void changePassword(
            @PathParam("username") String username,
            Dto.PasswordChange req,
            @Context HttpServerRequest request) {
        auth.changePassword(username, req, caller, address(request));
    }

    @POST
    @RolesAllowed(Roles.ADMIN)
    @Path("accounts/{username}/disable")
    public Dto.AccountView disableAccount(@PathParam("username") String username) {
        return auth.setDisabled(username, true);
    }

    @POST
    @RolesAllowed(Roles.ADMIN)
    @Path("accounts/{username}/enable")
    public Dto.AccountView enableAccount(@PathParam("username") String username) {
        return auth.setDisabled(username, false);
    }
}
