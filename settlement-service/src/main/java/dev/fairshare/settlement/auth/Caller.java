package dev.fairshare.settlement.auth;

import dev.fairshare.settlement.problem.ProblemException;
import jakarta.enterprise.context.RequestScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The authenticated caller of a request. FINANCE reads everything; a MAKER only its own numbers and
 * a PLATFORM only its own invoices: their reads are narrowed to their tenant, and asking for
 * another tenant is 403.
 */
@RequestScoped
public class Caller {
    public static final String PLATFORM = "PLATFORM";
    public static final String MAKER = "MAKER";
    public static final String FINANCE = "FINANCE";
    public static final String ADMIN = "ADMIN";

    private final JsonWebToken token;

    public Caller(JsonWebToken token) {
        this.token = token;
    }

    private boolean is(String role) {
        return token.getGroups() != null && token.getGroups().contains(role);
    }

    /** Who the token names ({@code upn}): recorded with what the caller changes. */
    public String name() {
        return token.getName();
    }

    /** Whether the caller acts for a maker (and so sees only that maker's numbers). */
    public boolean isMaker() {
        return is(MAKER);
    }

    /** The maker filter of a read: a MAKER's own maker; what was asked for otherwise. */
    public String makerScope(String requested) {
        return scope(MAKER, "makerId", "maker", requested);
    }

    /** The platform filter of a read: a PLATFORM's own platform; what was asked for otherwise. */
    public String platformScope(String requested) {
        return scope(PLATFORM, "platformId", "platform", requested);
    }

    private String scope(String role, String claim, String what, String requested) {
        if (!is(role)) {
            return requested;
        }
        String own = token.getClaim(claim);
        if (own == null || (requested != null && !requested.equals(own))) {
            throw new ProblemException(
                    403, "FORBIDDEN", "this token acts for " + what + " '" + own + "' only");
        }
        return own;
    }
}
