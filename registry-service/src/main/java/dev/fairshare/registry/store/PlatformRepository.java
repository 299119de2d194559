package dev.fairshare.registry.store;

import dev.fairshare.registry.domain.Platform;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

/** Platforms, by id. */
@ApplicationScoped
public class PlatformRepository implements PanacheRepositoryBase<Platform, String> {}
