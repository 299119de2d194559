package dev.fairshare.registry;

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
 * The committed docs/openapi/registry.yaml is the document this service serves (read from the
 * service itself, not through a port), and so what the lint (deploy/system-tests OpenApiLintTest)
 * and the generated client see.
 */
@QuarkusTest
@QuarkusTestResource(
        value = FairshareTestResource.class,
        initArgs = @ResourceArg(name = "database", value = "registry"))
class OpenApiDocumentTest {
    @Inject OpenApiDocumentService documents;

    @Test
    void theCommittedDocumentIsTheServedOne() throws Exception {
        String served =
                new String(
                        documents.getDocument(OpenApiFilter.DEFAULT_DOCUMENT_NAME, Format.YAML),
                        StandardCharsets.UTF_8);
        Path committed = Path.of("../docs/openapi/registry.yaml");
        if (Boolean.getBoolean("fairshare.openapi.refresh")) {
            Files.writeString(committed, served);
        }
        assertThat(committed).exists();
        assertThat(Files.readString(committed))
                .as(
                        "docs/openapi/registry.yaml differs from the document registry-service serves:"
                                + " run docs/openapi/refresh.sh and commit the result")
                .isEqualTo(served);
    }
}
