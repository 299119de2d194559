package dev.fairshare.registry.api;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;

/**
 * Every error of this service leaves through {@link ProblemMapper} as application/problem+json, so
 * an error response documented with a code and a description only gets that content here. Runs at
 * build time, once, for the document the service serves.
 */
@OpenApiFilter(stages = OpenApiFilter.RunStage.BUILD)
public class ProblemResponsesFilter implements OASFilter {
    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getPaths() == null) {
            return;
        }
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
}
