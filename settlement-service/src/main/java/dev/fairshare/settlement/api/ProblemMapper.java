package dev.fairshare.settlement.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.fairshare.settlement.problem.FieldError;
import dev.fairshare.settlement.problem.ProblemException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** The service's one exception mapper: every error leaves as application/problem+json. */
public class ProblemMapper {
    public static final String PROBLEM_JSON = "application/problem+json";
    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        Response r = build(e.status(), e.code(), e.getMessage(), e.errors());
        return e.retryAfter() > 0
                ? Response.fromResponse(r).header("Retry-After", e.retryAfter()).build()
                : r;
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e) {
        String field = null;
        if (e instanceof MismatchedInputException mie && !mie.getPath().isEmpty()) {
            field =
                    mie.getPath().stream()
                            .map(
                                    r ->
                                            r.getFieldName() != null
                                                    ? r.getFieldName()
                                                    : "[" + r.getIndex() + "]")
                            .collect(Collectors.joining("."))
                            .replace(".[", "[");
        }
        String code = e instanceof InvalidFormatException ? "INVALID_VALUE" : "MALFORMED_JSON";
        String detail =
                field == null
                        ? "the request body is not valid JSON"
                        : "field '" + field + "' has the wrong type";
        return build(
                400,
                code,
                detail,
                field == null ? List.of() : List.of(new FieldError(field, code, detail)));
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        if (e.getCause() instanceof JsonProcessingException json) {
            return json(json);
        }
        if (e.getCause() instanceof ProblemException p) {
            // a query parameter that QueryParams could not read (JAX-RS wraps it in a 404)
            return problem(p);
        }
        int status = e.getResponse().getStatus();
        String code =
                switch (status) {
                    case 401 -> "UNAUTHORIZED";
                    case 403 -> "FORBIDDEN";
                    case 404 -> "NOT_FOUND";
                    case 405 -> "METHOD_NOT_ALLOWED";
                    case 406 -> "NOT_ACCEPTABLE";
                    case 413 -> "PAYLOAD_TOO_LARGE";
                    case 415 -> "UNSUPPORTED_MEDIA_TYPE";
                    default -> status >= 500 ? "INTERNAL_ERROR" : "BAD_REQUEST";
                };
        return build(
                status,
                code,
                Response.Status.fromStatusCode(status) == null
                        ? code
                        : Response.Status.fromStatusCode(status).getReasonPhrase(),
                List.of());
    }

    /** No token, or one that is expired, tampered with or signed by another key. */
    @ServerExceptionMapper({
        io.quarkus.security.UnauthorizedException.class,
        io.quarkus.security.AuthenticationFailedException.class
    })
    public Response unauthenticated(RuntimeException e) {
        return Response.fromResponse(
                        build(
                                401,
                                "UNAUTHORIZED",
                                "a valid bearer token is required (POST /auth/token on"
                                        + " registry-service issues one)",
                                List.of()))
                .header("WWW-Authenticate", "Bearer")
                .build();
    }

    /** A valid token whose role may not call this endpoint. */
    @ServerExceptionMapper
    public Response forbidden(io.quarkus.security.ForbiddenException e) {
        return build(403, "FORBIDDEN", "this token's role may not call this endpoint", List.of());
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        LOG.error("unexpected error", e);
        return build(
                500,
                "INTERNAL_ERROR",
                "an unexpected error occurred; it has been logged",
                List.of());
    }

    static Response build(int status, String code, String detail, List<FieldError> errors) {
        Response.Status s = Response.Status.fromStatusCode(status);
        Problem p =
                new Problem(
                        "https://fairshare.dev/problems/" + code.toLowerCase().replace('_', '-'),
                        s == null ? code : s.getReasonPhrase(),
                        status,
                        detail,
                        code,
                        errors);
        return Response.status(status).type(PROBLEM_JSON).entity(p).build();
    }
}
