package dev.fairshare.registry.service;

import dev.fairshare.registry.problem.ProblemException;

/**
 * Who asks for a change that depends on the caller (names of models): the token's subject, its role
 * and the maker or platform it acts for. A MAKER without its maker, or a PLATFORM without its
 * platform, is refused here (403), so that no use case can read a missing tenant as "no filter".
 */
public record Actor(String subject, String role, String makerId, String platformId) {
    public Actor {
        if (isMaker(role) && makerId == null || isPlatform(role) && platformId == null) {
            throw new ProblemException(
                    403, "FORBIDDEN", "a " + role + " token must name the tenant it acts for");
        }
    }

    private static boolean isMaker(String role) {
        return "MAKER".equals(role);
    }

    private static boolean isPlatform(String role) {
        return "PLATFORM".equals(role);
    }

    public boolean isAdmin() {
        return "ADMIN".equals(role);
    }

    public boolean isMaker() {
        return isMaker(role);
    }

    public boolean isPlatform() {
        return isPlatform(role);
    }
}
