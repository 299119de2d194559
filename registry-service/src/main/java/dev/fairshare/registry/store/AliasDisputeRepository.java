package dev.fairshare.registry.store;

import dev.fairshare.registry.domain.AliasDispute;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/** Alias disputes (re-attributions), by id. */
@ApplicationScoped
public class AliasDisputeRepository implements PanacheRepositoryBase<AliasDispute, UUID> {}
