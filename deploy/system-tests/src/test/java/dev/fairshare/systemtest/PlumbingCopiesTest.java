package dev.fairshare.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The services share no module, so the plumbing they answer alike stands once in each: problem
 * documents and their mapping, the OpenAPI filter and the operation docs it lays over the scanned
 * document, the query parameter checks. The three copies are the same file but for the service's
 * package; a change to one is made to all three, or this test names the file that drifted. The two
 * services that run their own JDBC transactions (usage and settlement; the registry's go through
 * Panache) hold one transaction helper the same way.
 */
class PlumbingCopiesTest {
    static final Pattern SERVICE_PACKAGE =
            Pattern.compile("dev\\.fairshare\\.(registry|usage|settlement)\\.");

    @ParameterizedTest
    @ValueSource(
            strings = {
                "api/OperationDocs.java",
                "api/Problem.java",
                "api/ProblemMapper.java",
                "api/ProblemResponsesFilter.java",
                "api/QueryParams.java",
                "problem/FieldError.java",
                "problem/ProblemException.java"
            })
    void theThreeCopiesAreOneFileButForThePackage(String file) throws IOException {
        String usage = copy("usage", file);
        assertThat(copy("registry", file)).as("registry-service's " + file).isEqualTo(usage);
        assertThat(copy("settlement", file)).as("settlement-service's " + file).isEqualTo(usage);
    }

    @ParameterizedTest
    @ValueSource(strings = {"store/Transactions.java"})
    void theTwoJdbcServicesHoldOneFileButForThePackage(String file) throws IOException {
        assertThat(copy("settlement", file))
                .as("settlement-service's " + file)
                .isEqualTo(copy("usage", file));
    }

    private static String copy(String service, String file) throws IOException {
        Path path =
                DeploymentManifestsTest.REPO.resolve(
                        service + "-service/src/main/java/dev/fairshare/" + service + "/" + file);
        return SERVICE_PACKAGE.matcher(Files.readString(path)).replaceAll("dev.fairshare.SERVICE.");
    }
}
