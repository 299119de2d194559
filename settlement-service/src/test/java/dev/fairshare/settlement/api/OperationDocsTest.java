package dev.fairshare.settlement.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How openapi/operations.yaml is laid over a scanned document, on a scanned document of two
 * operations.
 */
class OperationDocsTest {
    /** What the scanner makes of a create method returning a RestResponse and a typed get. */
    private static final String SCANNED =
            """
            openapi: 3.1.0
            paths:
              /things:
                post:
                  operationId: createThing
                  requestBody:
                    content:
                      application/json:
                        schema: {type: string, format: binary}
                  responses:
                    "200":
                      description: OK
                      content:
                        application/json:
                          schema: {$ref: "#/components/schemas/Thing"}
              /things/{id}:
                get:
                  operationId: getThing
                  responses:
                    "200":
                      description: OK
                      content:
                        application/json:
                          schema: {$ref: "#/components/schemas/Thing"}
            """;

    private static final String COMPONENTS =
            """
            components:
              schemas:
                Thing: {type: object}
            """;

    @TempDir Path dir;

    @Test
    void theFilesWordsWinAndTheAssumedSuccessGivesWayToTheDocumentedOneWithItsSchema()
            throws IOException {
        OpenAPI scanned =
                laidOver(
                        SCANNED,
                        """
                        paths:
                          /things:
                            post:
                              summary: Create a thing
                              responses:
                                "201": {description: created}
                                "409": {description: DUPLICATE_ID}
                          /things/{id}:
                            get:
                              summary: One thing
                              description: By its id.
                              responses:
                                "404": {description: NOT_FOUND}
                                "200": {description: the thing}
                        """);

        Operation create = scanned.getPaths().getPathItem("/things").getPOST();
        assertThat(create.getSummary()).isEqualTo("Create a thing");
        assertThat(create.getOperationId()).isEqualTo("createThing");
        assertThat(List.copyOf(create.getResponses().getAPIResponses().keySet()))
                .containsExactly("201", "409");
        assertThat(create.getResponses().getAPIResponse("201").getDescription())
                .isEqualTo("created");
        assertThat(schemaOf(create, "201").getRef()).isEqualTo("#/components/schemas/Thing");
        assertThat(create.getResponses().getAPIResponse("409").getContent()).isNull();

        Operation get = scanned.getPaths().getPathItem("/things/{id}").getGET();
        assertThat(get.getDescription()).isEqualTo("By its id.");
        assertThat(List.copyOf(get.getResponses().getAPIResponses().keySet()))
                .containsExactly("404", "200");
        assertThat(get.getResponses().getAPIResponse("200").getDescription())
                .isEqualTo("the thing");
        assertThat(schemaOf(get, "200").getRef()).isEqualTo("#/components/schemas/Thing");
    }

    @Test
    void aSchemaTheFileGivesReplacesTheScannedOneWhole() throws IOException {
        OpenAPI scanned =
                laidOver(
                        SCANNED,
                        """
                        paths:
                          /things:
                            post:
                              summary: Create things
                              requestBody:
                                content:
                                  application/json:
                                    schema: {type: array, maxItems: 3, items: {type: string}}
                              responses:
                                "202": {description: accepted}
                          /things/{id}:
                            get:
                              summary: One thing
                        """);

        Schema body =
                scanned.getPaths()
                        .getPathItem("/things")
                        .getPOST()
                        .getRequestBody()
                        .getContent()
                        .getMediaType("application/json")
                        .getSchema();
        assertThat(body.getType()).containsExactly(Schema.SchemaType.ARRAY);
        assertThat(body.getMaxItems()).isEqualTo(3);
        assertThat(body.getFormat()).isNull();
        Operation get = scanned.getPaths().getPathItem("/things/{id}").getGET();
        assertThat(get.getResponses().getAPIResponse("200").getDescription()).isEqualTo("OK");
    }

    @Test
    void aDocumentedOperationThatNoResourceServesIsRefused() throws IOException {
        String docs =
                """
                        paths:
                          /things:
                            post: {summary: Create a thing}
                          /things/{id}:
                            get: {summary: One thing}
                            delete: {summary: Delete a thing}
                        """;
        assertRefused(
                () -> laidOver(SCANNED, docs),
                "openapi/operations.yaml documents DELETE /things/{id}, which no resource"
                        + " serves");
    }

    @Test
    void aServedOperationTheFileLeavesOutIsRefused() throws IOException {
        String docs =
                """
                        paths:
                          /things:
                            post: {summary: Create a thing}
                        """;
        assertRefused(
                () -> laidOver(SCANNED, docs),
                "openapi/operations.yaml does not document GET /things/{id}");
    }

    @Test
    void anOperationWithoutASummaryIsRefused() throws IOException {
        String docs =
                """
                        paths:
                          /things:
                            post: {summary: Create a thing}
                          /things/{id}:
                            get: {summary: " ", description: One thing, but no summary}
                        """;
        assertRefused(
                () -> laidOver(SCANNED, docs),
                "openapi/operations.yaml gives GET /things/{id} no summary");
    }

    @Test
    void aFileThatDocumentsNoSuccessLeavesTheScannedOne() throws IOException {
        OpenAPI scanned =
                laidOver(
                        SCANNED,
                        """
                        paths:
                          /things:
                            post:
                              summary: Create a thing
                              responses:
                                "409": {description: DUPLICATE_ID}
                          /things/{id}:
                            get: {summary: One thing}
                        """);
        Operation create = scanned.getPaths().getPathItem("/things").getPOST();
        assertThat(List.copyOf(create.getResponses().getAPIResponses().keySet()))
                .containsExactly("409", "200");
        assertThat(schemaOf(create, "200").getRef()).isEqualTo("#/components/schemas/Thing");
    }

    @Test
    void aSchemaTheFileNamesThatNoTypeDefinesIsRefused() throws IOException {
        String docs =
                """
                        paths:
                          /things:
                            post:
                              summary: Create a thing
                              responses:
                                "201":
                                  description: created
                                  content:
                                    application/json:
                                      schema: {$ref: "#/components/schemas/Thing"}
                                "202":
                                  description: proposed
                                  content:
                                    application/json:
                                      schema:
                                        type: array
                                        items: {$ref: "#/components/schemas/Proposal"}
                          /things/{id}:
                            get: {summary: One thing}
                        """;
        assertRefused(
                () -> laidOver(SCANNED + COMPONENTS, docs),
                "openapi/operations.yaml names #/components/schemas/Proposal for POST"
                        + " /things, a schema that no type of the code defines");
    }

    @Test
    void aMissingFileOrOneWithoutPathsIsRefused() throws IOException {
        assertRefused(
                () -> OperationDocs.read(null), "openapi/operations.yaml is not on the class path");
        assertRefused(
                () -> read("empty.yaml", "openapi: 3.1.0\n"),
                "openapi/operations.yaml documents no paths");
    }

    private static void assertRefused(ThrowingCallable call, String message) {
        assertThatThrownBy(call).isInstanceOf(IllegalStateException.class).hasMessage(message);
    }

    /** The scanned document {@code scanned} with the operation docs {@code docs} laid over it. */
    private OpenAPI laidOver(String scanned, String docs) throws IOException {
        OpenAPI document = read("scanned.yaml", scanned);
        OperationDocs.layOver(document, read("docs.yaml", docs));
        return document;
    }

    private OpenAPI read(String name, String yaml) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, yaml);
        URL url = file.toUri().toURL();
        return OperationDocs.read(url);
    }

    private static Schema schemaOf(Operation op, String code) {
        return op.getResponses()
                .getAPIResponse(code)
                .getContent()
                .getMediaType("application/json")
                .getSchema();
    }
}
