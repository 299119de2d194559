package dev.fairshare.registry.store;

import dev.fairshare.registry.domain.AliasProposal;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

/** Makers' alias proposals, by id. */
@ApplicationScoped
public class AliasProposalRepository implements PanacheRepositoryBase<AliasProposal, Long> {

    /** The proposal, locked until the transaction ends (null if there is none). */
    public AliasProposal findForUpdate(long id) {
        return findById(id, LockModeType.PESSIMISTIC_WRITE);
    }

    /**
     * Page {@code page} of the proposals to a platform, in a status, by a maker (each optional), by
     * id.
     */
    public Rows<AliasProposal> page(
            String platformId, String status, String makerId, int page, int size) {
        return new Where()
                .equal("platformId", platformId)
                .equal("status", status)
                .equal("makerId", makerId)
                .pageById(this, page, size);
    }
}
