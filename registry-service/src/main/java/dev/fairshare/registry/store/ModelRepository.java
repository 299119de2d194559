package dev.fairshare.registry.store;

import dev.fairshare.registry.domain.Model;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

/** Models with their parents and aliases, by id. */
@ApplicationScoped
public class ModelRepository implements PanacheRepositoryBase<Model, String> {}
