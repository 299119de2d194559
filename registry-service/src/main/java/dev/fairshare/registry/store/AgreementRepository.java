package dev.fairshare.registry.store;

import dev.fairshare.registry.domain.Agreement;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

/** Agreements, by id. */
@ApplicationScoped
public class AgreementRepository implements PanacheRepositoryBase<Agreement, String> {

    /** The agreement, locked until the transaction ends (null if there is none). */
    public Agreement findForUpdate(String id) {
        return findById(id, LockModeType.PESSIMISTIC_WRITE);
    }

    /** Page {@code page} of the agreements of a maker and a platform (each optional), by id. */
    public Rows<Agreement> page(String makerId, String platformId, int page, int size) {
        return new Where()
                .equal("makerId", makerId)
                .equal("platformId", platformId)
                .pageById(this, page, size);
    }
}
