package dev.fairshare.registry.api;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.persistence.PersistenceException;
import jakarta.ws.rs.core.Response;
import java.sql.SQLException;
import org.hibernate.exception.ConstraintViolationException;
import org.junit.jupiter.api.Test;

/**
 * Which exceptions the constraint mapper answers as a duplicate: Hibernate's report of a unique
 * violation, as the persistence layer throws it, and nothing else.
 */
class ConstraintMapperTest {
    private final ConstraintMapper mapper = new ConstraintMapper();

    @Test
    void aUniqueViolationIs409DuplicateId() {
        Response r =
                mapper.constraint(
                        new ConstraintViolationException(
                                "could not execute statement",
                                new SQLException("duplicate key value", "23505"),
                                "insert into maker (created_at,name,id) values (?,?,?)"));
        assertThat(r.getStatus()).isEqualTo(409);
        assertThat(r.getMediaType().toString()).isEqualTo("application/problem+json");
        Problem p = (Problem) r.getEntity();
        assertThat(p.code()).isEqualTo("DUPLICATE_ID");
        assertThat(p.detail()).isEqualTo("a concurrent request created the same resource first");
        assertThat(p.errors()).isEmpty();
    }

    @Test
    void anotherConstraintIsAnUnexpectedError() {
        assertUnexpected(
                new ConstraintViolationException(
                        "could not execute statement",
                        new SQLException("violates foreign key constraint", "23503"),
                        "insert into model (maker_id) values (?)"));
    }

    /** A unique violation that reaches the mapper inside another exception is not unwrapped. */
    @Test
    void aWrappedUniqueViolationIsAnUnexpectedError() {
        assertUnexpected(
                new PersistenceException(
                        "flush failed",
                        new ConstraintViolationException(
                                "could not execute statement",
                                new SQLException("duplicate key value", "23505"),
                                "insert into maker (created_at,name,id) values (?,?,?)")));
    }

    @Test
    void anyOtherExceptionIsAnUnexpectedError() {
        assertUnexpected(new IllegalStateException("no SQL here"));
    }

    private void assertUnexpected(RuntimeException e) {
        Response r = mapper.constraint(e);
        assertThat(r.getStatus()).isEqualTo(500);
        Problem p = (Problem) r.getEntity();
        assertThat(p.code()).isEqualTo("INTERNAL_ERROR");
        assertThat(p.detail()).isEqualTo("an unexpected error occurred; it has been logged");
    }
}
