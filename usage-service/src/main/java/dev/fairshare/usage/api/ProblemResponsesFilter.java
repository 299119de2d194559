package dev.fairshare.usage.api;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import java.net.URL;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;

/**
 * The document the service serves: each operation's own words from {@link OperationDocs}, then the
 * responses that operations share, documented here once. An operation that names the {@code bearer}
 * scheme answers {@code 401} without a valid token and {@code 403} when the role or the tenant does
 * not match, unless it documents its own {@code 401} or {@code 403} (a more precise reason); the
 * two come first among its responses. Every error of this service leaves through {@link
 * ProblemMapper} as application/problem+json, so an error response documented with a code and a
 * description only gets that content here. Runs at build time, once, for the document the service
 * serves.
 */
@OpenApiFilter(stages = OpenApiFilter.RunStage.BUILD)
public class ProblemResponsesFilter implements OASFilter {
    static final String UNAUTHORIZED = "UNAUTHORIZED: no valid bearer token";
    static final String FORBIDDEN = "FORBIDDEN: the role or the tenant does not match";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getPaths() == null) {
            return;
        }
        URL docs = ProblemResponsesFilter.class.getClassLoader().getResource(OperationDocs.FILE);
        OperationDocs.layOver(openAPI, OperationDocs.read(docs));
        List<Operation> operations =
                openAPI.getPaths().getPathItems().values().stream()
                        .flatMap(item -> item.getOperations().values().stream())
                        .filter(op -> op.getResponses() != null)
                        .toList();
        operations.forEach(ProblemResponsesFilter::bearerResponses);
        operations.stream()
                .flatMap(op -> op.getResponses().getAPIResponses().entrySet().stream())
                .filter(e -> e.getKey().startsWith("4") || e.getKey().startsWith("5"))
                .map(e -> e.getValue())
                .filter(r -> r.getRef() == null)
                .filter(r -> r.getContent() == null || r.getContent().getMediaTypes().isEmpty())
                .forEach(
                        r ->
                                r.setContent(
                                        OASFactory.createContent()
                                                .addMediaType(
                                                        ProblemMapper.PROBLEM_JSON,
                                                        OASFactory.createMediaType()
                                                                .schema(
                                                                        OASFactory.createSchema()
                                                                                .ref(
                                                                                        "#/components/schemas/Problem")))));
    }

    /** A bearer operation's 401 and 403, first: its own if it documents them, else the usual. */
    private static void bearerResponses(Operation op) {
        if (op.getSecurity() == null
                || op.getSecurity().stream().noneMatch(s -> s.hasScheme("bearer"))) {
            return;
        }
        Map<String, APIResponse> declared =
                new LinkedHashMap<>(op.getResponses().getAPIResponses());
        Map<String, APIResponse> responses = new LinkedHashMap<>();
        responses.put("401", declaredOr(declared.remove("401"), UNAUTHORIZED));
        responses.put("403", declaredOr(declared.remove("403"), FORBIDDEN));
        responses.putAll(declared);
        op.getResponses().setAPIResponses(responses);
    }

    private static APIResponse declaredOr(APIResponse declared, String description) {
        return declared != null
                ? declared
                : OASFactory.createAPIResponse().description(description);
    }
}
