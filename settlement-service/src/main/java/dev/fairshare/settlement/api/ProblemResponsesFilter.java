package dev.fairshare.settlement.api;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

/**
 * The error responses every operation shares, in one place. An operation with a security
 * requirement answers 401 without a valid bearer token and 403 when the role or the tenant does not
 * match: those two are documented here unless the operation (or its class) says more precisely when
 * it refuses. Every error of this service leaves through {@link ProblemMapper} as
 * application/problem+json, so an error response documented with a code and a description only gets
 * that content here. Runs at build time, once, for the document the service serves.
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
        openAPI.getPaths().getPathItems().values().stream()
                .flatMap(item -> item.getOperations().values().stream())
                .filter(op -> op.getResponses() != null)
                .filter(op -> op.getSecurity() != null && !op.getSecurity().isEmpty())
                .forEach(op -> secured(op.getResponses()));
        openAPI.getPaths().getPathItems().values().stream()
                .flatMap(item -> item.getOperations().values().stream())
                .filter(op -> op.getResponses() != null)
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

    /** 401 and 403 first, as a class-level response would stand, then the operation's own. */
    private static void secured(APIResponses responses) {
        Map<String, APIResponse> all = new LinkedHashMap<>();
        all.put("401", OASFactory.createAPIResponse().description(UNAUTHORIZED));
        all.put("403", OASFactory.createAPIResponse().description(FORBIDDEN));
        all.putAll(responses.getAPIResponses());
        responses.setAPIResponses(all);
    }
}
