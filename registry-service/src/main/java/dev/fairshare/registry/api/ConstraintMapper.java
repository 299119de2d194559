package dev.fairshare.registry.api;

import jakarta.ws.rs.core.Response;
import java.util.List;
import org.hibernate.exception.ConstraintViolationException;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The registry's one mapping beyond {@link ProblemMapper}: a unique constraint that a concurrent
 * request won first gets the same answer as a sequential duplicate.
 */
public class ConstraintMapper {
    @ServerExceptionMapper
    public Response constraint(ConstraintViolationException e) {
        if ("23505".equals(e.getSQLState())) {
            return ProblemMapper.build(
                    409,
                    "DUPLICATE_ID",
                    "a concurrent request created the same resource first",
                    List.of());
        }
        return new ProblemMapper().unexpected(e);
    }
}
