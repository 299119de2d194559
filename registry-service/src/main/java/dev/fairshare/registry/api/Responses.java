package dev.fairshare.registry.api;

import jakarta.ws.rs.core.Response;
import java.net.URI;

/** Answers that the resources build alike. */
final class Responses {
    private Responses() {}

    /** {@code 201 Created} with {@code entity}, whose {@code Location} is {@code path}. */
    static Response created(String path, Object entity) {
        return Response.created(URI.create(path)).entity(entity).build();
    }
}
