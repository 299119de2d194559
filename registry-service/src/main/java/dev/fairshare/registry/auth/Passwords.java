package dev.fairshare.registry.auth;

import io.quarkus.elytron.security.common.BcryptUtil;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import org.wildfly.security.password.PasswordFactory;
import org.wildfly.security.password.WildFlyElytronPasswordProvider;
import org.wildfly.security.password.interfaces.BCryptPassword;
import org.wildfly.security.password.util.ModularCrypt;

/** Password hashing (bcrypt, through Elytron) and API-key secrets (256 random bits, SHA-256). */
public final class Passwords {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final WildFlyElytronPasswordProvider PROVIDER =
            new WildFlyElytronPasswordProvider();

    /** A hash to compare against when a username is unknown, so that both cost the same. */
    private static final String DECOY = BcryptUtil.bcryptHash("decoy-" + RANDOM.nextLong());

    /** The shortest password any account may have, the initial admin's included. */
    public static final int MIN_LENGTH = 12;

    private Passwords() {}

    /**
     * What is wrong with {@code password} as a new password, or null when nothing is: at least
     * {@value #MIN_LENGTH} characters, and not a placeholder of the deploy examples ({@code
     * CHANGE-ME}, {@code change-me-admin}, …).
     */
    public static String weakness(String password) {
        if (password.length() < MIN_LENGTH) {
            return "a password must have at least " + MIN_LENGTH + " characters";
        }
        String folded = password.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z]", "");
        if (folded.contains("changeme")) {
            return "a password must not be the placeholder of an example file (CHANGE-ME)";
        }
        return null;
    }

    /** The bcrypt hash (modular crypt format, cost 10) of {@code password}. */
    public static String hash(String password) {
        return BcryptUtil.bcryptHash(password);
    }

    /** Whether {@code password} matches {@code hash}; with a null hash it spends the same time. */
    public static boolean matches(String password, String hash) {
        try {
            PasswordFactory factory =
                    PasswordFactory.getInstance(BCryptPassword.ALGORITHM_BCRYPT, PROVIDER);
            BCryptPassword stored =
                    (BCryptPassword)
                            factory.translate(ModularCrypt.decode(hash == null ? DECOY : hash));
            return factory.verify(stored, password.toCharArray()) && hash != null;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("stored password hash is unreadable", e);
        }
    }

    /** A new API key: {@code fsk_<keyId>_<secret>}, the secret 256 random bits. */
    public static String newApiKey(String keyId) {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        return "fsk_"
                + keyId
                + "_"
                + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }

    /** A short random id for an API key (public: it names the key in lists and revocations). */
    public static String newKeyId() {
        byte[] id = new byte[6];
        RANDOM.nextBytes(id);
        return HexFormat.of().formatHex(id);
    }

    /** The SHA-256 of an API key, hex: all that is stored of it. */
    public static String sha256(String apiKey) {
        try {
            return HexFormat.of()
                    .formatHex(
                            MessageDigest.getInstance("SHA-256")
                                    .digest(
                                            apiKey.getBytes(
                                                    java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
