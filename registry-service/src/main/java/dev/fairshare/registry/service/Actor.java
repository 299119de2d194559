package dev.fairshare.registry.service;

/**
 * Who asks for a change that depends on the caller (names of models): the token's subject, its role
 * and the maker or platform it acts for.
 */
public record Actor(String subject, String role, String makerId, String platformId) {
    public boolean isAdmin() {
        return "ADMIN".equals(role);
    }

    public boolean isMaker() {
        return "MAKER".equals(role);
    }

    public boolean isPlatform() {
        return "PLATFORM".equals(role);
    }
}
