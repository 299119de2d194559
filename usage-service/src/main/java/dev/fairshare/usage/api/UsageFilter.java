package dev.fairshare.usage.api;

import jakarta.ws.rs.QueryParam;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;

/**
 * The query parameters that select stored usage: a platform, a model and a day range [from, to]
 * (each optional here; a day may be given as an instant, of which its date counts).
 */
public record UsageFilter(
        @QueryParam("platformId") String platformId,
        @QueryParam("modelId") String modelId,
        @QueryParam("from") String from,
        @QueryParam("to") String to) {

    /** The first day, null when open; a malformed one is a {@code 400} naming {@code from}. */
    LocalDate fromDay() {
        return day("from", from);
    }

    /** The last day, null when open; a malformed one is a {@code 400} naming {@code to}. */
    LocalDate toDay() {
        return day("to", to);
    }

    private static LocalDate day(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return LocalDate.parse(value.length() > 10 ? value.substring(0, 10) : value);
        } catch (DateTimeParseException e) {
            throw QueryParams.invalid(field, field + " must be a date such as 2026-11-01");
        }
    }
}
