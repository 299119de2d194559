package dev.fairshare.settlement.api;

import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.QueryParam;
import java.util.List;

/** The {@code ?page=0&size=100} every list endpoint takes (API.md), read as one bean parameter. */
public record Paging(
        @QueryParam("page") @DefaultValue("0") int page,
        @QueryParam("size") @DefaultValue("100") int size) {

    /** Answers {@code 400 INVALID_PAGE} for a page or size out of range. */
    public void check() {
        Page.check(page, size);
    }

    /** This page of {@code all}. */
    public <T> Page<T> of(List<T> all) {
        return Page.of(all, page, size);
    }
}
