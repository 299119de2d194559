package dev.fairshare.registry.store;

import dev.fairshare.registry.domain.Maker;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

/** Makers, by id. */
@ApplicationScoped
public class MakerRepository implements PanacheRepositoryBase<Maker, String> {

    /** The maker, locked until the transaction ends (null if there is none). */
    public Maker findForUpdate(String id) {
        return findById(id, LockModeType.PESSIMISTIC_WRITE);
    }

    /** Page {@code page} of all makers, by id. */
    public Rows<Maker> page(int page, int size) {
        return Rows.of(findAll(Sort.by("id")), page, size);
    }
}
