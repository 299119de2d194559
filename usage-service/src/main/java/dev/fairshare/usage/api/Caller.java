package dev.fairshare.usage.api;

import dev.fairshare.usage.problem.ProblemException;
import jakarta.enterprise.context.RequestScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** The authenticated caller of a request: its role and the platform it acts for. */
@RequestScoped
public class Caller {
    public static final String PLATFORM = "PLATFORM";
    public static final String FINANCE = "FINANCE";
    public static final String ADMIN = "ADMIN";

    private final JsonWebToken token;

    public Caller(JsonWebToken token) {
        this.token = token;
    }

    /** The platform a PLATFORM token acts for; null for every other role. */
    public String platformId() {
        if (token.getGroups() == null || !token.getGroups().contains(PLATFORM)) {
            return null;
        }
        String platformId = token.getClaim("platformId");
        if (platformId == null) {
            throw new ProblemException(403, "FORBIDDEN", "this PLATFORM token names no platform");
        }
        return platformId;
    }

    /**
     * The platform a read may cover: a PLATFORM token reads its own only (asking for another is
     * 403); FINANCE and ADMIN read what they ask for.
     */
    public String platformScope(String requested) {
        String own = platformId();
        if (own == null) {
            return requested;
        }
        if (requested != null && !requested.equals(own)) {
            throw new ProblemException(
                    403, "FORBIDDEN", "this token acts for platform '" + own + "' only");
        }
        return own;
    }
}
