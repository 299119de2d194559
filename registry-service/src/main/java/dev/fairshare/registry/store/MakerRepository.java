package dev.fairshare.registry.store;

import dev.fairshare.registry.domain.Maker;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

/** Makers, by id. */
@ApplicationScoped
public class MakerRepository implements PanacheRepositoryBase<Maker, String> {}
