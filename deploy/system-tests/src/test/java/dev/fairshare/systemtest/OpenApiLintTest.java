package dev.fairshare.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The rules of Redocly CLI's recommended set that an integrator meets (docs/openapi/redocly.yaml
 * runs that linter itself), held over the committed documents in {@code ./mvnw verify} without npm:
 * a valid OpenAPI 3.1 document; a licence, a server and a description for every tag; per operation
 * a lowerCamel operationId (its resource method's name; unique), a summary, the {@code bearer}
 * scheme unless the operation is public, a 2xx response with a schema, 4xx responses as
 * application/problem+json with a schema (401 and 403 where a token is needed), and examples that
 * validate against their schemas. Each failure names the document, the operation and what it lacks.
 * OpenApiDocumentTest in each service holds the committed copies equal to what the services serve.
 */
class OpenApiLintTest {
    /** Operations that take no token. */
    static final Set<String> PUBLIC_OPERATIONS = Set.of("issueToken");

    static final Pattern OPERATION_ID = Pattern.compile("^[a-z][a-zA-Z0-9]*$");
    static final Set<String> METHODS =
            Set.of("get", "put", "post", "delete", "patch", "head", "options", "trace");
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final JsonSchemaFactory SCHEMAS =
            JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);

    @ParameterizedTest
    @ValueSource(strings = {"registry", "usage", "settlement"})
    void theCommittedDocumentLintsClean(String service) throws Exception {
        Path file = SystemStack.repo().resolve("docs/openapi/" + service + ".yaml");
        List<String> problems = lint(file);
        assertThat(problems)
                .as(
                        "docs/openapi/%s.yaml breaks the OpenAPI rules (fix the operation in"
                                + " %s-service: its openapi/operations.yaml or its resource; then run"
                                + " docs/openapi/refresh.sh):%n  %s",
                        service, service, String.join("\n  ", problems))
                .isEmpty();
    }

    @Test
    void anOperationWithoutItsDocumentationIsNamedWithWhatItLacks() throws Exception {
        ObjectNode doc =
                (ObjectNode)
                        YAML.readTree(
                                SystemStack.repo().resolve("docs/openapi/usage.yaml").toFile());
        ObjectNode post = (ObjectNode) doc.at("/paths/~1usage-events/post");
        post.remove(List.of("operationId", "security"));
        ObjectNode responses = (ObjectNode) post.get("responses");
        responses.remove("202");
        ((ObjectNode) responses.get("413")).remove("content");
        ((ObjectNode) post.at("/requestBody/content/application~1json/examples/one event/value/0"))
                .put("customerType", "RETAIL");
        Path file = Path.of("target/lint-negative.yaml");
        YAML.writeValue(file.toFile(), doc);

        List<String> problems = lint(file);

        String where = "POST /usage-events (no operationId): ";
        assertThat(problems)
                .containsExactly(
                        where
                                + "no operationId: name the resource method for what it does (its name is the operationId)",
                        where + "no security: add @SecurityRequirement(name = \"bearer\")",
                        where + "no 2xx response: document one in openapi/operations.yaml",
                        where + "413 response: not application/problem+json with a schema",
                        where
                                + "request body application/json example 'one event' does not match its schema: "
                                + "$[0].customerType: does not have a value in the enumeration [\"COMMERCIAL\", \"NON_COMMERCIAL\"]");
    }

    static List<String> lint(Path file) throws Exception {
        List<String> problems = new ArrayList<>();
        ParseOptions options = new ParseOptions();
        options.setResolve(false);
        List<String> messages =
                new OpenAPIV3Parser()
                        .readLocation(file.toUri().toString(), null, options)
                        .getMessages();
        if (messages != null) {
            messages.forEach(m -> problems.add("not valid OpenAPI: " + m));
        }
        JsonNode doc = YAML.readTree(file.toFile());
        if (!doc.path("openapi").asText().startsWith("3.1")) {
            problems.add("openapi: expected 3.1.x, found " + doc.path("openapi").asText());
        }
        JsonNode license = doc.path("info").path("license");
        if (license.path("name").asText().isBlank()
                || (license.path("url").asText().isBlank()
                        && license.path("identifier").asText().isBlank())) {
            problems.add("info.license: a name and a url (the repository's LICENSE)");
        }
        if (!doc.path("servers").isArray()
                || doc.path("servers").isEmpty()
                || doc.path("servers").path(0).path("url").asText().isBlank()) {
            problems.add("servers: at least one server with a url");
        }
        Set<String> describedTags = new HashSet<>();
        for (JsonNode tag : doc.path("tags")) {
            if (tag.path("description").asText().isBlank()) {
                problems.add("tag '" + tag.path("name").asText() + "': no description");
            } else {
                describedTags.add(tag.path("name").asText());
            }
        }
        JsonNode bearer = doc.at("/components/securitySchemes/bearer");
        if (!"http".equals(bearer.path("type").asText())
                || !"bearer".equalsIgnoreCase(bearer.path("scheme").asText())) {
            problems.add("components.securitySchemes.bearer: an http bearer scheme");
        }
        Set<String> operationIds = new HashSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields();
                paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields();
                    ops.hasNext(); ) {
                Map.Entry<String, JsonNode> op = ops.next();
                if (METHODS.contains(op.getKey())) {
                    String id = op.getValue().path("operationId").asText();
                    String where =
                            op.getKey().toUpperCase()
                                    + " "
                                    + path.getKey()
                                    + " ("
                                    + (id.isEmpty() ? "no operationId" : id)
                                    + ")";
                    operation(doc, where, id, op.getValue(), operationIds, describedTags)
                            .forEach(p -> problems.add(where + ": " + p));
                }
            }
        }
        return problems;
    }

    static List<String> operation(
            JsonNode doc,
            String where,
            String id,
            JsonNode op,
            Set<String> operationIds,
            Set<String> describedTags) {
        List<String> problems = new ArrayList<>();
        if (id.isEmpty()) {
            problems.add(
                    "no operationId: name the resource method for what it does (its name is the operationId)");
        } else if (!OPERATION_ID.matcher(id).matches()) {
            problems.add("operationId '" + id + "' is not lowerCamelCase");
        } else if (!operationIds.add(id)) {
            problems.add("operationId '" + id + "' is used twice");
        }
        if (op.path("summary").asText().isBlank()) {
            problems.add("no summary");
        }
        if (!op.path("tags").isArray() || op.path("tags").isEmpty()) {
            problems.add("no tag");
        }
        for (JsonNode tag : op.path("tags")) {
            if (!describedTags.contains(tag.asText())) {
                problems.add("tag '" + tag.asText() + "' is not declared with a description");
            }
        }
        JsonNode security = op.get("security");
        boolean isPublic = PUBLIC_OPERATIONS.contains(id);
        if (isPublic) {
            if (security == null || !security.isArray() || !security.isEmpty()) {
                problems.add("a public operation: security: [] (@SecurityRequirements)");
            }
        } else if (security == null || security.size() != 1 || !security.path(0).has("bearer")) {
            problems.add("no security: add @SecurityRequirement(name = \"bearer\")");
        }
        JsonNode responses = op.path("responses");
        List<String> codes = new ArrayList<>();
        responses.fieldNames().forEachRemaining(codes::add);
        if (codes.stream().noneMatch(c -> c.startsWith("2"))) {
            problems.add("no 2xx response: document one in openapi/operations.yaml");
        }
        if (codes.stream().noneMatch(c -> c.startsWith("4"))) {
            problems.add("no 4xx response: document its error codes in openapi/operations.yaml");
        }
        if (!isPublic && !(codes.contains("401") && codes.contains("403"))) {
            problems.add("a protected operation documents 401 and 403");
        }
        for (String code : codes) {
            JsonNode response = responses.get(code);
            JsonNode content = response.path("content");
            if (code.startsWith("2") && !code.equals("204")) {
                if (content.isEmpty()) {
                    problems.add(code + " response: no content with a schema");
                }
                content.fields()
                        .forEachRemaining(
                                m -> {
                                    if (!m.getValue().has("schema")) {
                                        problems.add(
                                                code + " response " + m.getKey() + ": no schema");
                                    }
                                });
            }
            if (code.startsWith("4") && !content.path("application/problem+json").has("schema")) {
                problems.add(code + " response: not application/problem+json with a schema");
            }
            content.fields()
                    .forEachRemaining(
                            m ->
                                    examples(doc, m.getValue())
                                            .forEach(
                                                    p ->
                                                            problems.add(
                                                                    code
                                                                            + " response "
                                                                            + m.getKey()
                                                                            + " "
                                                                            + p)));
        }
        op.path("requestBody")
                .path("content")
                .fields()
                .forEachRemaining(
                        m -> {
                            if (!m.getValue().has("schema")) {
                                problems.add("request body " + m.getKey() + ": no schema");
                            }
                            examples(doc, m.getValue())
                                    .forEach(
                                            p ->
                                                    problems.add(
                                                            "request body "
                                                                    + m.getKey()
                                                                    + " "
                                                                    + p));
                        });
        return problems;
    }

    /** Each example of a media type, validated against its schema (refs into the document). */
    static List<String> examples(JsonNode doc, JsonNode media) {
        List<String> problems = new ArrayList<>();
        if (!media.has("schema")) {
            return problems;
        }
        ObjectNode root = YAML.createObjectNode();
        root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        root.set("components", doc.path("components"));
        root.putArray("allOf").add(media.get("schema"));
        JsonSchema schema = SCHEMAS.getSchema(root);
        if (media.has("example")) {
            check(schema, "example", media.get("example"), problems);
        }
        media.path("examples")
                .fields()
                .forEachRemaining(
                        e ->
                                check(
                                        schema,
                                        "example '" + e.getKey() + "'",
                                        e.getValue().path("value"),
                                        problems));
        return problems;
    }

    static void check(JsonSchema schema, String name, JsonNode value, List<String> problems) {
        Set<ValidationMessage> errors = schema.validate(value);
        if (!errors.isEmpty()) {
            problems.add(
                    name
                            + " does not match its schema: "
                            + errors.stream()
                                    .map(ValidationMessage::getMessage)
                                    .collect(Collectors.joining("; ")));
        }
    }
}
