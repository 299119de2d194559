package dev.fairshare.registry.auth;

/** The roles of DESIGN.md, as the {@code groups} claim of an access token carries them. */
public final class Roles {
    public static final String PLATFORM = "PLATFORM";
    public static final String MAKER = "MAKER";
    public static final String FINANCE = "FINANCE";
    public static final String ADMIN = "ADMIN";

    private Roles() {}

    public static boolean known(String role) {
        return PLATFORM.equals(role)
                || MAKER.equals(role)
                || FINANCE.equals(role)
                || ADMIN.equals(role);
    }
}
