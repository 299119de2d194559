package dev.fairshare.settlement.problem;

import java.util.List;

/** A domain error that the API answers as problem+json. */
public class ProblemException extends RuntimeException {
    private final int status;
    private final String code;
    private final List<FieldError> errors;
    private long retryAfter;

    public ProblemException(int status, String code, String detail, List<FieldError> errors) {
        super(detail);
        this.status = status;
        this.code = code;
        this.errors = List.copyOf(errors);
    }

    public ProblemException(int status, String code, String detail) {
        this(status, code, detail, List.of());
    }

    public static ProblemException notFound(String what, String id) {
        return new ProblemException(404, "NOT_FOUND", what + " '" + id + "' does not exist");
    }

    /** 422 with one offending field. */
    public static ProblemException unprocessable(String code, String field, String message) {
        return new ProblemException(
                422, code, message, List.of(new FieldError(field, code, message)));
    }

    /** Answers with a {@code Retry-After} of {@code seconds}. */
    public ProblemException retryAfter(long seconds) {
        this.retryAfter = seconds;
        return this;
    }

    /** Seconds for a {@code Retry-After} header; 0 for none. */
    public long retryAfter() {
        return retryAfter;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public List<FieldError> errors() {
        return errors;
    }
}
