package dev.fairshare.settlement.web;

import static dev.fairshare.settlement.web.Viewer.redirect;

import dev.fairshare.settlement.service.dashboard.Peers;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.net.URI;
import java.util.Optional;

/**
 * The dashboard's door, at {@code /}: the sign-in through the registry's token endpoint (the token
 * then lives in an HttpOnly, SameSite, Secure cookie that only these pages read; the API takes the
 * Authorization header alone), the sign-out, and {@code /dashboard}, which sends each user to its
 * own view: {@link MakerPages}, {@link FinancePages}. Every form carries the session's CSRF token,
 * checked before each POST method runs ({@link Session}, {@link CsrfProtected}).
 */
@Path("/")
@Blocking
@CsrfProtected
@PermitAll
public class SignInPages {
    @Inject Peers peers;

    @Inject Session session;

    @Inject
    @Location("login.html")
    Template login;

    @GET
    public Response root() {
        return redirect("/dashboard");
    }

    /** The dashboard: the maker or finance view of the signed-in user. */
    @GET
    @Path("dashboard")
    public Response dashboard() {
        Optional<Viewer> v = Viewer.of(session);
        if (v.isEmpty()) {
            return redirect("/login");
        }
        return switch (v.get().role()) {
            case Viewer.MAKER -> redirect("/dashboard/maker");
            case Viewer.FINANCE -> redirect("/dashboard/finance");
            default ->
                    Response.status(403)
                            .type(MediaType.TEXT_HTML)
                            .entity(
                                    login.data(
                                            "error",
                                            "The dashboard is for makers and finance; "
                                                    + (v.get().role().isEmpty()
                                                            ? "this account uses"
                                                            : v.get().role() + " accounts use")
                                                    + " the API."))
                            .type(MediaType.TEXT_HTML)
                            .build();
        };
    }

    /** The sign-in page. */
    @GET
    @Path("login")
    @Produces(MediaType.TEXT_HTML)
    public Response loginPage() {
        // the form's CSRF token first: it may need a pre-session cookie, set with this answer
        session.csrfToken();
        Response.ResponseBuilder page = Response.ok(login.data("error", null));
        session.issuedCookie().ifPresent(page::cookie);
        return page.build();
    }

    /**
     * Sign in with a username and password (checked by registry-service); sets the HttpOnly token
     * cookie.
     */
    @POST
    @Path("login")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Response signIn(
            @FormParam("username") String username,
            @FormParam("password") String password,
            @FormParam(Session.CSRF_FIELD) String csrf) {
        if (username == null || username.isBlank() || password == null || password.isEmpty()) {
            return refused(400, "Enter your username and password.");
        }
        Peers.Login answer;
        try {
            answer = peers.login(username.trim(), password, session.clientAddress());
        } catch (IOException e) {
            return refused(503, "Sign-in is unavailable right now; try again.");
        }
        if (answer.status() == 429) {
            return Response.status(429)
                    .header("Retry-After", answer.retryAfter())
                    .entity(
                            login.data(
                                    "error",
                                    "Too many failed sign-ins; try again in "
                                            + answer.retryAfter()
                                            + " seconds."))
                    .build();
        }
        if (answer.token() == null) {
            return refused(401, "Unknown username or wrong password.");
        }
        NewCookie cookie =
                session.cookie(
                        Session.COOKIE,
                        answer.token().accessToken(),
                        (int) answer.token().expiresIn());
        return Response.seeOther(URI.create("/dashboard")).cookie(cookie).build();
    }

    /** The sign-in page again, with {@code status} and what went wrong. */
    private Response refused(int status, String error) {
        return Response.status(status).entity(login.data("error", error)).build();
    }

    /** Sign out: clears the token cookie. */
    @POST
    @Path("logout")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response signOut(@FormParam(Session.CSRF_FIELD) String csrf) {
        // csrf is checked by CsrfInterceptor
        return Response.seeOther(URI.create("/login"))
                .cookie(session.cookie(Session.COOKIE, "", 0))
                .build();
    }
}
