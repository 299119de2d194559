package dev.fairshare.localstack;

import java.security.PrivateKey;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.lang.JoseException;

/**
 * Access tokens for tests, signed with the fixed test key: the same claims registry-service issues
 * ({@code iss}, {@code aud}, {@code upn}, {@code groups} with the role, and {@code makerId} or
 * {@code platformId}).
 */
public final class Tokens {
    /** The issuer every service expects (mp.jwt.verify.issuer). */
    public static final String ISSUER = "https://fairshare.dev";

    /** The audience every service expects (mp.jwt.verify.audiences). */
    public static final String AUDIENCE = "fairshare";

    private static PrivateKey key;

    private Tokens() {}

    public static String admin() {
        return token("test-admin", "ADMIN", null, null, Duration.ofHours(1));
    }

    public static String finance() {
        return token("test-finance", "FINANCE", null, null, Duration.ofHours(1));
    }

    public static String maker(String makerId) {
        return token("maker-" + makerId, "MAKER", makerId, null, Duration.ofHours(1));
    }

    public static String platform(String platformId) {
        return token("platform-" + platformId, "PLATFORM", null, platformId, Duration.ofHours(1));
    }

    /** A token with any claims; a negative {@code lifetime} gives one that has expired. */
    public static String token(
            String subject, String role, String makerId, String platformId, Duration lifetime) {
        return sign(subject, role, makerId, platformId, AUDIENCE, lifetime, testKey());
    }

    /**
     * A valid token of the right issuer and key for another audience ({@code null}: none), as an
     * OIDC realm shared with other applications would issue: every service must refuse it.
     */
    public static String forAudience(
            String audience, String role, String makerId, String platformId) {
        return sign(
                "aud-" + audience,
                role,
                makerId,
                platformId,
                audience,
                Duration.ofHours(1),
                testKey());
    }

    /** The same token signed with another key: every service must refuse it. */
    public static String signedByAStranger(String role) {
        try {
            var generator = java.security.KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return sign(
                    "stranger",
                    role,
                    null,
                    null,
                    AUDIENCE,
                    Duration.ofHours(1),
                    generator.generateKeyPair().getPrivate());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The token with the first character of its signature changed (all its 6 bits count). */
    public static String tampered(String jwt) {
        String[] parts = jwt.split("\\.");
        char first = parts[2].charAt(0);
        return parts[0] + "." + parts[1] + "." + (first == 'A' ? 'B' : 'A') + parts[2].substring(1);
    }

    /**
     * Tokens every service must refuse with 401 although they name {@code role}: one tampered with,
     * one expired, one signed by another key, one without an audience and one for another audience.
     */
    public static List<String> invalid(String role) {
        return List.of(
                tampered(token("tampered", role, null, null, Duration.ofHours(1))),
                token("expired", role, null, null, Duration.ofMinutes(-10)),
                signedByAStranger(role),
                forAudience(null, role, null, null),
                forAudience("another-app", role, null, null));
    }

    private static synchronized PrivateKey testKey() {
        if (key == null) {
            key = Keys.testPrivateKey();
        }
        return key;
    }

    private static String sign(
            String subject,
            String role,
            String makerId,
            String platformId,
            String audience,
            Duration lifetime,
            PrivateKey signingKey) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(ISSUER);
        if (audience != null) {
            claims.setAudience(audience);
        }
        claims.setSubject(subject);
        claims.setClaim("upn", subject);
        claims.setJwtId(UUID.randomUUID().toString());
        long now = System.currentTimeMillis() / 1000;
        claims.setClaim("iat", lifetime.isNegative() ? now + lifetime.toSeconds() - 60 : now);
        claims.setClaim("exp", now + lifetime.toSeconds());
        claims.setStringListClaim("groups", List.of(role));
        if (makerId != null) {
            claims.setClaim("makerId", makerId);
        }
        if (platformId != null) {
            claims.setClaim("platformId", platformId);
        }
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(signingKey);
        jws.setHeader("typ", "JWT");
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }
}
