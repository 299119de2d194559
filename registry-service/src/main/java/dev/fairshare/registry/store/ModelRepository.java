package dev.fairshare.registry.store;

import dev.fairshare.registry.domain.Model;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

/** Models with their parents and aliases, by id. */
@ApplicationScoped
public class ModelRepository implements PanacheRepositoryBase<Model, String> {

    /** The model, locked until the transaction ends (null if there is none). */
    public Model findForUpdate(String id) {
        return findById(id, LockModeType.PESSIMISTIC_WRITE);
    }

    /** Page {@code page} of the models of {@code makerId} (of all makers if null), by id. */
    public Rows<Model> page(String makerId, int page, int size) {
        return Rows.of(
                makerId == null ? findAll(Sort.by("id")) : find("makerId", Sort.by("id"), makerId),
                page,
                size);
    }
}
