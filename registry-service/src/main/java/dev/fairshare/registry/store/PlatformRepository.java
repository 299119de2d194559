package dev.fairshare.registry.store;

import dev.fairshare.registry.domain.Platform;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;

/** Platforms, by id. */
@ApplicationScoped
public class PlatformRepository implements PanacheRepositoryBase<Platform, String> {

    /** Page {@code page} of all platforms, by id. */
    public Rows<Platform> page(int page, int size) {
        return Rows.of(findAll(Sort.by("id")), page, size);
    }
}
