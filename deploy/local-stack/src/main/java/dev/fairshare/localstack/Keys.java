package dev.fairshare.localstack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/**
 * The RSA pair that signs (registry-service) and verifies (every service) access tokens, as PEM
 * files: the fixed test pair of the tests, or a pair generated once for a local stack.
 */
public record Keys(Path privateKey, Path publicKey) {
    private static final String TEST_PAIR = "/dev/fairshare/localstack/test-keys/";

    /** The fixed test pair, copied to {@code dir} so that services run as processes can read it. */
    public static Keys testPair(Path dir) {
        try {
            Files.createDirectories(dir);
            Keys keys = new Keys(dir.resolve("private.pem"), dir.resolve("public.pem"));
            for (Path file : new Path[] {keys.privateKey, keys.publicKey}) {
                try (InputStream in =
                        Keys.class.getResourceAsStream(TEST_PAIR + file.getFileName())) {
                    byte[] content = in.readAllBytes();
                    if (file.equals(keys.privateKey)) {
                        writePrivate(file, new String(content, StandardCharsets.US_ASCII));
                    } else {
                        Files.write(file, content);
                    }
                }
            }
            return keys;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The pair in {@code dir}, generated (RSA 2048) on first use and kept for later starts. */
    public static Keys generatedIn(Path dir) {
        Keys keys = new Keys(dir.resolve("private.pem"), dir.resolve("public.pem"));
        if (Files.exists(keys.privateKey) && Files.exists(keys.publicKey)) {
            return keys;
        }
        try {
            Files.createDirectories(dir);
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            Files.writeString(keys.publicKey, pem("PUBLIC KEY", pair.getPublic().getEncoded()));
            writePrivate(keys.privateKey, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
            return keys;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Writes a private key readable by its owner only (0600 where the file system has POSIX
     * permissions): the file is created with them, so the key is never readable by others.
     */
    static void writePrivate(Path file, String pem) throws IOException {
        Files.deleteIfExists(file);
        try {
            Files.createFile(
                    file,
                    PosixFilePermissions.asFileAttribute(
                            PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file);
        }
        Files.writeString(file, pem, StandardCharsets.US_ASCII);
    }

    /** The private key of the fixed test pair, to sign tokens in tests. */
    static PrivateKey testPrivateKey() {
        try (InputStream in = Keys.class.getResourceAsStream(TEST_PAIR + "private.pem")) {
            String pem = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            byte[] der =
                    Base64.getMimeDecoder()
                            .decode(pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", ""));
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException | InvalidKeySpecException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN "
                + type
                + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END "
                + type
                + "-----\n";
    }
}
