package dev.fairshare.registry.store;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;

/** A list's filters as a Panache query: each a property that equals a value, unless it is null. */
final class Where {
    private final StringBuilder query = new StringBuilder("1 = 1");
    private final Parameters params = new Parameters();

    /** Keeps the rows whose {@code property} equals {@code value}; a null value keeps them all. */
    Where equal(String property, Object value) {
        if (value != null) {
            query.append(" and ").append(property).append(" = :").append(property);
            params.and(property, value);
        }
        return this;
    }

    /** Page {@code page} of the matching rows of {@code rows}, by id. */
    <E> Rows<E> pageById(PanacheRepositoryBase<E, ?> rows, int page, int size) {
        return Rows.of(rows.find(query.toString(), Sort.by("id"), params), page, size);
    }
}
