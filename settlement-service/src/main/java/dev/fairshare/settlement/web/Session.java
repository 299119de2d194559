package dev.fairshare.settlement.web;

import dev.fairshare.settlement.problem.ProblemException;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import io.vertx.core.http.Cookie;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Named;
import jakarta.ws.rs.core.NewCookie;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The dashboard's session: the access token in the HttpOnly cookie (read here only: the API takes
 * the Authorization header alone), and the CSRF token of its forms.
 *
 * <p>The CSRF token is a synchronizer token bound to the session: the SHA-256 of the session cookie
 * (or, before sign-in, of a random pre-session cookie), which another site can neither read nor
 * compute. Every form carries it through the {@code {#csrf /}} tag ({@code
 * templates/tags/csrf.html}); {@link CsrfFilter} checks it on every POST a browser could send with
 * the cookie.
 */
@RequestScoped
@Named("session")
public class Session {
    public static final String COOKIE = "fairshare_token";

    /** The random value the sign-in form's CSRF token is bound to, before there is a session. */
    public static final String PRE_SESSION_COOKIE = "fairshare_presession";

    /** The form field of the CSRF token. */
    public static final String CSRF_FIELD = "csrf";

    private static final SecureRandom RANDOM = new SecureRandom();

    private final RoutingContext request;
    private final JWTParser parser;
    private final boolean secureCookie;
    private String issuedPreSession;

    public Session(
            RoutingContext request,
            JWTParser parser,
            @ConfigProperty(name = "fairshare.dashboard.secure-cookie") boolean secureCookie) {
        this.request = request;
        this.parser = parser;
        this.secureCookie = secureCookie;
    }

    /**
     * The browser's address as this service sees it (a forwarded one only from the proxies that
     * {@code quarkus.http.proxy.*} trusts); forwarded to the registry with the sign-in.
     */
    public String clientAddress() {
        var address = request.request().remoteAddress();
        return address == null ? null : address.hostAddress();
    }

    /** The signed-in user's token, verified like a bearer token; empty without a valid cookie. */
    public Optional<JsonWebToken> token() {
        Cookie cookie = request.request().getCookie(COOKIE);
        if (cookie == null || cookie.getValue().isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(parser.parse(cookie.getValue()));
        } catch (ParseException e) {
            // expired, tampered with, for another audience or signed by another key: sign in again
            return Optional.empty();
        }
    }

    /**
     * The CSRF token of this session's forms. Without any session yet, a pre-session value is made
     * (see {@link #issuedCookie()}).
     */
    public String csrfToken() {
        if (basis() == null) {
            byte[] random = new byte[32];
            RANDOM.nextBytes(random);
            issuedPreSession = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        }
        return digest(basis());
    }

    /** Whether {@code submitted} is this session's CSRF token (false without a session). */
    public boolean validCsrf(String submitted) {
        String basis = basis();
        return basis != null
                && submitted != null
                && MessageDigest.isEqual(
                        digest(basis).getBytes(StandardCharsets.US_ASCII),
                        submitted.getBytes(StandardCharsets.US_ASCII));
    }

    /** 403 {@code INVALID_CSRF_TOKEN} unless {@code submitted} is this session's CSRF token. */
    public void requireCsrf(String submitted) {
        if (!validCsrf(submitted)) {
            throw new ProblemException(
                    403,
                    "INVALID_CSRF_TOKEN",
                    "this form has no valid CSRF token: reload the page and send it again");
        }
    }

    /** The pre-session cookie made by {@link #csrfToken()} in this request, to be set with it. */
    public Optional<NewCookie> issuedCookie() {
        return Optional.ofNullable(issuedPreSession).map(v -> cookie(PRE_SESSION_COOKIE, v, -1));
    }

    /** An HttpOnly, SameSite=Strict cookie, Secure unless turned off for plain http. */
    public NewCookie cookie(String name, String value, int maxAge) {
        return new NewCookie.Builder(name)
                .value(value)
                .path("/")
                .httpOnly(true)
                .secure(secureCookie)
                .sameSite(NewCookie.SameSite.STRICT)
                .maxAge(maxAge)
                .build();
    }

    private String basis() {
        for (String name : new String[] {COOKIE, PRE_SESSION_COOKIE}) {
            Cookie c = request.request().getCookie(name);
            if (c != null && !c.getValue().isEmpty()) {
                return name + ":" + c.getValue();
            }
        }
        return issuedPreSession == null ? null : PRE_SESSION_COOKIE + ":" + issuedPreSession;
    }

    private static String digest(String basis) {
        try {
            return Base64.getUrlEncoder()
                    .withoutPadding()
                    .encodeToString(
                            MessageDigest.getInstance("SHA-256")
                                    .digest(
                                            ("fairshare-csrf\n" + basis)
                                                    .getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
