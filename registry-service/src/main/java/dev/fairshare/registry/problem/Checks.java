package dev.fairshare.registry.problem;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Collects field errors of one request, then throws them together as one 422 (or 400). */
public final class Checks {
    public static final Pattern ID = Pattern.compile("^[a-z0-9][a-z0-9._-]{0,63}$");

    private final List<FieldError> errors = new ArrayList<>();

    public boolean present(String field, Object value) {
        if (value == null || (value instanceof String s && s.isBlank())) {
            add(field, "MISSING_FIELD", field + " is required");
            return false;
        }
        return true;
    }

    public void id(String field, String value) {
        if (present(field, value) && !ID.matcher(value).matches()) {
            add(field, "INVALID_ID", field + " must match " + ID.pattern());
        }
    }

    /** A decimal string; returns null (and records the error) when it is not one. */
    public BigDecimal decimal(String field, String value) {
        if (!present(field, value)) {
            return null;
        }
        try {
            BigDecimal d = new BigDecimal(value.trim());
            if (d.scale() > 18 || d.precision() - d.scale() > 20) {
                add(
                        field,
                        "INVALID_DECIMAL",
                        field + " must have at most 20 integer digits and 18 decimals");
                return null;
            }
            return d;
        } catch (NumberFormatException e) {
            add(field, "INVALID_DECIMAL", field + " must be a decimal string such as \"0.20\"");
            return null;
        }
    }

    /** An instant at a whole UTC day ({@code …T00:00:00Z}); null when absent or invalid. */
    public Instant wholeDay(String field, String value) {
        if (value == null) {
            return null;
        }
        try {
            Instant i = Instant.parse(value);
            if (!i.atOffset(ZoneOffset.UTC).toLocalTime().equals(java.time.LocalTime.MIDNIGHT)) {
                add(
                        field,
                        "NOT_WHOLE_DAY",
                        field + " must be a whole UTC day, e.g. 2026-11-01T00:00:00Z");
                return null;
            }
            return i;
        } catch (DateTimeParseException e) {
            add(field, "BAD_TIMESTAMP", field + " must be an ISO-8601 UTC instant");
            return null;
        }
    }

    /** A request without a body is a malformed request. */
    public static <T> T body(T request) {
        if (request == null) {
            throw new ProblemException(400, "MALFORMED_JSON", "the request needs a JSON body");
        }
        return request;
    }

    public void add(String field, String code, String message) {
        errors.add(new FieldError(field, code, message));
    }

    public boolean ok() {
        return errors.isEmpty();
    }

    /** Throws the collected errors as one 422; the first error gives the problem its code. */
    public void throwIfAny() {
        if (errors.isEmpty()) {
            return;
        }
        String code = errors.get(0).code();
        throw new ProblemException(
                422,
                code,
                errors.size() == 1
                        ? errors.get(0).message()
                        : errors.size() + " fields are invalid",
                errors);
    }
}
