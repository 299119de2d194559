package dev.fairshare.registry.store;

import io.quarkus.hibernate.orm.panache.PanacheQuery;
import java.util.List;

/** One page of a query's rows, and how many rows the whole query matches. */
public record Rows<E>(List<E> items, long total) {

    /** Page {@code page} of {@code query}, {@code size} rows long. */
    static <E> Rows<E> of(PanacheQuery<E> query, int page, int size) {
        query.page(page, size);
        return new Rows<>(query.list(), query.count());
    }
}
