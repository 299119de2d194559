package dev.fairshare.registry.api;

import java.net.URI;
import org.jboss.resteasy.reactive.RestResponse;

/** Answers that the resources build alike. */
final class Responses {
    private Responses() {}

    /** {@code 201 Created} with {@code entity}, whose {@code Location} is {@code path}. */
    static <T> RestResponse<T> created(String path, T entity) {
        return RestResponse.ResponseBuilder.<T>created(URI.create(path)).entity(entity).build();
    }
}
