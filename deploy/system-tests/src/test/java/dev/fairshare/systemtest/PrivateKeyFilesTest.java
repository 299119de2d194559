package dev.fairshare.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fairshare.localstack.Keys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every private key this repository writes is readable by its owner only (0600). */
class PrivateKeyFilesTest {
    static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    @Test
    void generateJwtKeysWritesThePrivateKeyForItsOwnerOnly(@TempDir Path dir) throws Exception {
        Path script = dir.resolve("generate-jwt-keys.sh");
        Files.copy(
                DeploymentManifestsTest.REPO.resolve("deploy/compose/secrets/generate-jwt-keys.sh"),
                script);
        Process p =
                new ProcessBuilder("sh", script.toString())
                        .redirectErrorStream(true)
                        .redirectOutput(dir.resolve("out.txt").toFile())
                        .start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(dir.resolve("out.txt"))).isZero();
        assertThat(Files.getPosixFilePermissions(dir.resolve("privateKey.pem")))
                .isEqualTo(OWNER_ONLY);
        assertThat(Files.readString(dir.resolve("publicKey.pem"))).contains("PUBLIC KEY");
    }

    @Test
    void theLocalStacksKeysAreForTheirOwnerOnly(@TempDir Path dir) {
        Keys generated = Keys.generatedIn(dir.resolve("generated"));
        Keys copied = Keys.testPair(dir.resolve("test-pair"));
        for (Keys keys : new Keys[] {generated, copied}) {
            assertThat(keys.privateKey()).exists();
            try {
                assertThat(Files.getPosixFilePermissions(keys.privateKey()))
                        .as(keys.privateKey().toString())
                        .isEqualTo(OWNER_ONLY);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }
}
