package dev.fairshare.registry.service;

import dev.fairshare.registry.problem.FieldError;
import dev.fairshare.registry.problem.ProblemException;
import dev.fairshare.registry.store.Rows;
import java.util.List;
import java.util.function.Function;

/** A page of a list, as API.md describes: {@code ?page=0&size=100}. */
public record Page<T>(List<T> items, int page, int size, long total) {
    public static final int MAX_SIZE = 1000;

    /** Page {@code page} ({@code size} long) of the store's {@code rows}, each as {@code view}. */
    static <E, T> Page<T> of(Rows<E> rows, int page, int size, Function<E, T> view) {
        return new Page<>(rows.items().stream().map(view).toList(), page, size, rows.total());
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
