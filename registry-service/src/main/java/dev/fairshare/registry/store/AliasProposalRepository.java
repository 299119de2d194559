package dev.fairshare.registry.store;

import dev.fairshare.registry.domain.AliasProposal;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

/** Makers' alias proposals, by id. */
@ApplicationScoped
public class AliasProposalRepository implements PanacheRepositoryBase<AliasProposal, Long> {}
