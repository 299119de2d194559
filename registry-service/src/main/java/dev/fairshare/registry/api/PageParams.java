package dev.fairshare.registry.api;

import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.QueryParam;

/** The paging query parameters of every list, as API.md describes: {@code ?page=0&size=100}. */
public class PageParams {
    @QueryParam("page")
    @DefaultValue("0")
    int page;

    @QueryParam("size")
    @DefaultValue("100")
    int size;
}
