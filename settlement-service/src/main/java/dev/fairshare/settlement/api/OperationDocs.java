package dev.fairshare.settlement.api;

import io.smallrye.openapi.api.SmallRyeOpenAPI;
import io.smallrye.openapi.api.util.MergeUtil;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.PathItem.HttpMethod;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.MediaType;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.parameters.RequestBody;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

/**
 * What each operation means, in the words the code cannot know: {@code openapi/operations.yaml}
 * holds each operation's summary, description, request examples and the responses it documents; the
 * scanned code gives paths, parameters, types, media types and security. The file is laid over the
 * scanned document, so its words win over the scanner's defaults ("OK"), and a success the scanner
 * assumed (200 for a method that returns a {@code Response}) gives way to the successes the file
 * documents. The two must describe the same operations: a documented operation that no resource
 * serves, or a served one the file leaves out, is refused.
 */
final class OperationDocs {
    static final String FILE = "openapi/operations.yaml";

    private OperationDocs() {}

    /** The file, read as the OpenAPI fragment it is ({@code paths} only). */
    static OpenAPI read(URL file) {
        if (file == null) {
            throw refused("is not on the class path");
        }
        OpenAPI docs =
                SmallRyeOpenAPI.builder()
                        .withCustomStaticFile(() -> open(file))
                        .enableStandardStaticFiles(false)
                        .enableModelReader(false)
                        .enableAnnotationScan(false)
                        .enableStandardFilter(false)
                        .build()
                        .model();
        if (docs.getPaths() == null
                || docs.getPaths().getPathItems() == null
                || docs.getPaths().getPathItems().isEmpty()) {
            throw refused("documents no paths");
        }
        return docs;
    }

    /** Lays {@code docs} over {@code scanned}, operation by operation. */
    static void layOver(OpenAPI scanned, OpenAPI docs) {
        Map<String, PathItem> served = scanned.getPaths().getPathItems();
        Set<String> undocumented = new TreeSet<>();
        served.forEach(
                (path, item) ->
                        item.getOperations()
                                .keySet()
                                .forEach(m -> undocumented.add(m + " " + path)));
        for (Map.Entry<String, PathItem> path : docs.getPaths().getPathItems().entrySet()) {
            PathItem target = served.get(path.getKey());
            for (Map.Entry<HttpMethod, Operation> documented :
                    path.getValue().getOperations().entrySet()) {
                String name = documented.getKey() + " " + path.getKey();
                Operation op =
                        target == null ? null : target.getOperations().get(documented.getKey());
                if (op == null) {
                    throw refused("documents " + name + ", which no resource serves");
                }
                String summary = documented.getValue().getSummary();
                if (summary == null || summary.isBlank()) {
                    throw refused("gives " + name + " no summary");
                }
                namedSchemasExist(scanned, name, documented.getValue());
                layOver(op, documented.getValue());
                undocumented.remove(name);
            }
        }
        if (!undocumented.isEmpty()) {
            throw refused("does not document " + String.join(", ", undocumented));
        }
    }

    private static void layOver(Operation op, Operation words) {
        if (words.getRequestBody() != null && op.getRequestBody() != null) {
            givenSchemasReplace(
                    op.getRequestBody().getContent(), words.getRequestBody().getContent());
        }
        if (words.getResponses() != null && op.getResponses() != null) {
            documentedSuccesses(op.getResponses(), words.getResponses());
            words.getResponses()
                    .getAPIResponses()
                    .forEach(
                            (code, response) -> {
                                APIResponse scanned = op.getResponses().getAPIResponse(code);
                                if (scanned != null) {
                                    givenSchemasReplace(
                                            scanned.getContent(), response.getContent());
                                }
                            });
        }
        MergeUtil.mergeObjects(op, words);
        if (words.getResponses() != null) {
            inTheFilesOrder(op.getResponses(), words.getResponses().getAPIResponses().keySet());
        }
    }

    /**
     * The scanner assumes a success for a method that declares none (200, or 204 for void): it
     * gives way to the successes the file documents, and its content (the schema of the method's
     * return type) goes to the first of them.
     */
    private static void documentedSuccesses(APIResponses scanned, APIResponses words) {
        Set<String> documented = words.getAPIResponses().keySet();
        String first = documented.stream().filter(c -> c.startsWith("2")).findFirst().orElse(null);
        if (first == null) {
            return; // the file documents no success: the scanned one stands
        }
        List<String> assumed =
                scanned.getAPIResponses().keySet().stream()
                        .filter(code -> code.startsWith("2") && !documented.contains(code))
                        .toList();
        for (String code : assumed) {
            APIResponse response = scanned.getAPIResponse(code);
            scanned.removeAPIResponse(code);
            if (!scanned.hasAPIResponse(first)) {
                scanned.addAPIResponse(first, response);
            }
        }
    }

    /** A schema the file gives for a media type replaces the scanned one, whole. */
    private static void givenSchemasReplace(Content scanned, Content words) {
        if (scanned == null || words == null) {
            return;
        }
        words.getMediaTypes()
                .forEach(
                        (type, media) -> {
                            MediaType target = scanned.getMediaType(type);
                            if (media.getSchema() != null && target != null) {
                                target.setSchema(null);
                            }
                        });
    }

    /** The documented responses first, as the file orders them; then any the scanner added. */
    private static void inTheFilesOrder(APIResponses responses, Set<String> documented) {
        Map<String, APIResponse> ordered = new LinkedHashMap<>();
        documented.forEach(code -> ordered.put(code, responses.getAPIResponse(code)));
        responses.getAPIResponses().forEach(ordered::putIfAbsent);
        responses.setAPIResponses(ordered);
    }

    /** A schema the file names by reference must be one that the code's types define. */
    private static void namedSchemasExist(OpenAPI scanned, String name, Operation words) {
        Set<String> defined =
                scanned.getComponents() == null || scanned.getComponents().getSchemas() == null
                        ? Set.of()
                        : scanned.getComponents().getSchemas().keySet();
        Stream<Content> contents =
                Stream.concat(
                        Stream.ofNullable(words.getRequestBody()).map(RequestBody::getContent),
                        Stream.ofNullable(words.getResponses())
                                .flatMap(r -> r.getAPIResponses().values().stream())
                                .map(APIResponse::getContent));
        contents.filter(Objects::nonNull)
                .flatMap(c -> c.getMediaTypes().values().stream())
                .map(MediaType::getSchema)
                .filter(Objects::nonNull)
                .flatMap(schema -> Stream.of(schema, schema.getItems()))
                .filter(Objects::nonNull)
                .map(Schema::getRef)
                .filter(Objects::nonNull)
                .filter(ref -> !defined.contains(ref.substring(ref.lastIndexOf('/') + 1)))
                .findFirst()
                .ifPresent(
                        ref -> {
                            throw refused(
                                    "names "
                                            + ref
                                            + " for "
                                            + name
                                            + ", a schema that no type of the code defines");
                        });
    }

    private static IllegalStateException refused(String what) {
        return new IllegalStateException(FILE + " " + what);
    }

    private static InputStream open(URL file) {
        try {
            return file.openStream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
