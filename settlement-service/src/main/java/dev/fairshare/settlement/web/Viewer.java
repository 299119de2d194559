package dev.fairshare.settlement.web;

import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The signed-in user of the dashboard, from the session cookie's token: its name, its dashboard
 * role (MAKER, FINANCE, PLATFORM or ADMIN, or empty), its maker id, the raw token (to read another
 * service on its behalf) and all its groups.
 */
record Viewer(String user, String role, String makerId, String token, Set<String> groups) {
    static final String MAKER = "MAKER";
    static final String FINANCE = "FINANCE";
    private static final List<String> ROLES = List.of(MAKER, FINANCE, "PLATFORM", "ADMIN");

    /** The signed-in user; a MAKER token that names no maker has no role here. */
    static Optional<Viewer> of(Session session) {
        return session.token().map(Viewer::of);
    }

    private static Viewer of(JsonWebToken jwt) {
        String role = jwt.getGroups().stream().filter(ROLES::contains).findFirst().orElse("");
        String makerId = jwt.getClaim("makerId");
        if (MAKER.equals(role) && (makerId == null || makerId.isBlank())) {
            // a MAKER token that names no maker sees nothing rather than everything
            role = "";
        }
        return new Viewer(jwt.getName(), role, makerId, jwt.getRawToken(), jwt.getGroups());
    }

    boolean maker() {
        return MAKER.equals(role);
    }

    boolean finance() {
        return FINANCE.equals(role);
    }

    /** A 303 to {@code to}. */
    static Response redirect(String to) {
        return Response.seeOther(URI.create(to)).build();
    }

    /** Where a page sends whom it is not for: to the sign-in, or to the user's own view. */
    static Response away(Optional<Viewer> viewer) {
        return redirect(viewer.isEmpty() ? "/login" : "/dashboard");
    }
}
