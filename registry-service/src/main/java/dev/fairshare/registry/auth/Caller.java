package dev.fairshare.registry.auth;

import dev.fairshare.registry.problem.ProblemException;
import dev.fairshare.registry.service.Actor;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** The authenticated caller of a request: its role and the maker or platform it acts for. */
@RequestScoped
public class Caller {
    @Inject JsonWebToken token;

    public boolean is(String role) {
        return token.getGroups() != null && token.getGroups().contains(role);
    }

    /**
     * The maker a MAKER token acts for (null for other roles); a MAKER token without {@code
     * makerId} is refused (403) rather than read as a caller without a tenant.
     */
    public String makerId() {
        return tenant(Roles.MAKER, "makerId");
    }

    /**
     * The platform a PLATFORM token acts for (null for other roles); 403 when the claim is absent.
     */
    public String platformId() {
        return tenant(Roles.PLATFORM, "platformId");
    }

    private String tenant(String role, String claim) {
        if (!is(role)) {
            return null;
        }
        String id = token.getClaim(claim);
        if (id == null || id.isBlank()) {
            throw forbidden("this " + role + " token names no " + claim);
        }
        return id;
    }

    /** The token's subject: a username, or {@code platform:<id>:key:<keyId>} for an API key. */
    public String subject() {
        return token.getSubject();
    }

    /** The caller as the services see it when a decision depends on who asks. */
    public Actor actor() {
        String role =
                is(Roles.ADMIN)
                        ? Roles.ADMIN
                        : is(Roles.FINANCE)
                                ? Roles.FINANCE
                                : is(Roles.MAKER)
                                        ? Roles.MAKER
                                        : is(Roles.PLATFORM) ? Roles.PLATFORM : "NONE";
        return new Actor(subject(), role, makerId(), platformId());
    }

    /** ADMIN may act for every maker; a MAKER only for its own. */
    public void requireMaker(String makerId) {
        if (is(Roles.ADMIN)) {
            return;
        }
        if (makerId == null || !makerId.equals(makerId())) {
            throw forbidden("this token acts for maker '" + makerId() + "' only");
        }
    }

    public static ProblemException forbidden(String detail) {
        return new ProblemException(403, "FORBIDDEN", detail);
    }
}
