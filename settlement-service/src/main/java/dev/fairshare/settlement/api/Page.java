package dev.fairshare.settlement.api;

import dev.fairshare.settlement.problem.FieldError;
import dev.fairshare.settlement.problem.ProblemException;
import java.util.List;

/** A page of a list, as API.md describes: {@code ?page=0&size=100}. */
public record Page<T>(List<T> items, int page, int size, long total) {
    public static final int MAX_SIZE = 1000;

    /** Page {@code page} of {@code all} (checked like every page request). */
    public static <T> Page<T> of(List<T> all, int page, int size) {
        check(page, size);
        int from = (int) Math.min((long) page * size, all.size());
        return new Page<>(
                all.subList(from, Math.min(from + size, all.size())), page, size, all.size());
    }

    public static void check(int page, int size) {
        if (page < 0) {
            throw new ProblemException(
                    400,
                    "INVALID_PAGE",
                    "page must be >= 0",
                    List.of(new FieldError("page", "INVALID_PAGE", "page must be >= 0")));
        }
        if (size < 1 || size > MAX_SIZE) {
            throw new ProblemException(
                    400,
                    "INVALID_PAGE",
                    "size must be between 1 and " + MAX_SIZE,
                    List.of(
                            new FieldError(
                                    "size",
                                    "INVALID_PAGE",
                                    "size must be between 1 and " + MAX_SIZE)));
        }
    }
}
