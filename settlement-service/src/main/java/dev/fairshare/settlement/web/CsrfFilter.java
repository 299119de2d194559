package dev.fairshare.settlement.web;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Refuses (403 {@code INVALID_CSRF_TOKEN}) every POST that a browser could send on another site's
 * behalf — no Authorization header, and a dashboard cookie or a body type an HTML form can send —
 * to an endpoint that does not check the session's CSRF token (a {@link CsrfProtected} resource
 * method taking {@code @FormParam(Session.CSRF_FIELD)}), whose {@link CsrfInterceptor} checks the
 * value. API calls (Authorization header, JSON) are not concerned: they never use the cookie.
 */
public class CsrfFilter {
    private static final List<MediaType> FORM_TYPES =
            List.of(
                    MediaType.APPLICATION_FORM_URLENCODED_TYPE,
                    MediaType.MULTIPART_FORM_DATA_TYPE,
                    MediaType.TEXT_PLAIN_TYPE);

    private final Session session;

    public CsrfFilter(Session session) {
        this.session = session;
    }

    @ServerRequestFilter
    public void check(ContainerRequestContext request, ResourceInfo resource) {
        if (!"POST".equals(request.getMethod())
                || request.getHeaderString(HttpHeaders.AUTHORIZATION) != null) {
            return;
        }
        MediaType type = request.getMediaType();
        boolean formLike = type != null && FORM_TYPES.stream().anyMatch(type::isCompatible);
        boolean cookie =
                request.getCookies().containsKey(Session.COOKIE)
                        || request.getCookies().containsKey(Session.PRE_SESSION_COOKIE);
        if (!formLike && !cookie) {
            return;
        }
        boolean checked =
                resource.getResourceMethod() != null
                        && resource.getResourceClass().isAnnotationPresent(CsrfProtected.class)
                        && CsrfInterceptor.csrfParameter(resource.getResourceMethod()) >= 0;
        if (!checked) {
            session.requireCsrf(null);
        }
    }
}
