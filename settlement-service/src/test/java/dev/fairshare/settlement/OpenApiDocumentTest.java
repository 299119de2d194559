package dev.fairshare.settlement;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fairshare.localstack.FairshareTestResource;
import io.quarkus.smallrye.openapi.OpenApiFilter;
import io.quarkus.smallrye.openapi.runtime.OpenApiDocumentService;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.openapi.runtime.io.Format;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The committed docs/openapi/settlement.yaml is the document this service serves (read from the
 * service itself, not through a port), and so what the lint (deploy/system-tests OpenApiLintTest)
 * and the generated client see. With {@code -Dfairshare.openapi.refresh=true}
 * (docs/openapi/refresh.sh) it writes the committed copy instead.
 */
@QuarkusTest
@QuarkusTestResource(
        value = FairshareTestResource.class,
        initArgs = @ResourceArg(name = "database", value = "settlement"))
class OpenApiDocumentTest {
    @Inject OpenApiDocumentService documents;

    @Test
    void theCommittedDocumentIsTheServedOne() throws Exception {
        String served =
                new String(
                        documents.getDocument(OpenApiFilter.DEFAULT_DOCUMENT_NAME, Format.YAML),
                        StandardCharsets.UTF_8);
        Path committed = Path.of("../docs/openapi/settlement.yaml");
        if (Boolean.getBoolean("fairshare.openapi.refresh")) {
            Files.writeString(committed, served);
        }
        assertThat(committed).exists();
        assertThat(Files.readString(committed))
                .as(
                        "docs/openapi/settlement.yaml differs from the document settlement-service serves:"
                                + " run docs/openapi/refresh.sh and commit the result")
                .isEqualTo(served);
    }
}
