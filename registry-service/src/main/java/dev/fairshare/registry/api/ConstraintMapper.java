package dev.fairshare.registry.api;

import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.core.Response;
import java.sql.SQLException;
import java.util.List;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The registry's one mapping beyond {@link ProblemMapper}: a unique constraint that a concurrent
 * request won first gets the same answer as a sequential duplicate.
 *
 * <p>The persistence layer reports the database's refusal as its own exception around the driver's
 * {@link SQLException}; PostgreSQL's SQL state for a unique violation is {@value
 * #UNIQUE_VIOLATION}. This mapper comes before {@link ProblemMapper#unexpected} for the unchecked
 * exceptions no other mapper takes, and leaves every other one to it.
 */
public class ConstraintMapper {
    static final String UNIQUE_VIOLATION = "23505";

    @ServerExceptionMapper(priority = Priorities.USER - 1)
    public Response constraint(RuntimeException e) {
        if (e.getCause() instanceof SQLException sql
                && UNIQUE_VIOLATION.equals(sql.getSQLState())) {
            return ProblemMapper.build(
                    409,
                    "DUPLICATE_ID",
                    "a concurrent request created the same resource first",
                    List.of());
        }
        return new ProblemMapper().unexpected(e);
    }
}
