package dev.fairshare.registry.store;

import dev.fairshare.registry.domain.Agreement;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

/** Agreements, by id. */
@ApplicationScoped
public class AgreementRepository implements PanacheRepositoryBase<Agreement, String> {}
