package dev.fairshare.registry.service;

import dev.fairshare.registry.problem.FieldError;
import dev.fairshare.registry.problem.ProblemException;
import io.quarkus.hibernate.orm.panache.PanacheQuery;
import java.util.List;
import java.util.function.Function;

/** A page of a list, as API.md describes: {@code ?page=0&size=100}. */
public record Page<T>(List<T> items, int page, int size, long total) {
    public static final int MAX_SIZE = 1000;

    /** Page {@code page} of {@code query}'s rows, {@code size} long, each row as {@code view}. */
    static <E, T> Page<T> of(PanacheQuery<E> query, int page, int size, Function<E, T> view) {
        query.page(page, size);
        return new Page<>(query.list().stream().map(view).toList(), page, size, query.count());
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
