package dev.fairshare.registry.store;

import dev.fairshare.registry.domain.ModelAlias;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;

/**
 * Models' aliases. A scope is a platform, or the global scope ({@code platformId} null, matched as
 * {@code ''}).
 */
@ApplicationScoped
public class ModelAliasRepository implements PanacheRepositoryBase<ModelAlias, Long> {

    /** Every alias of {@code ref} in the scope of {@code platformId}, oldest first. */
    public List<ModelAlias> inScope(String ref, String platformId) {
        return getEntityManager()
                .createQuery(
                        "select a from ModelAlias a where a.ref = :ref"
                                + " and coalesce(a.platformId, '') = :platform order by a.validFrom",
                        ModelAlias.class)
                .setParameter("ref", ref)
                .setParameter("platform", platformId == null ? "" : platformId)
                .getResultList();
    }

    /**
     * The scope's aliases of {@code ref} after {@code from} that name a model other than {@code
     * modelId}.
     */
    public List<ModelAlias> laterOfAnotherModel(
            String ref, String platformId, Instant from, String modelId) {
        return getEntityManager()
                .createQuery(
                        "from ModelAlias a where a.ref = :ref and coalesce(a.platformId, '') = :scope"
                                + " and a.validFrom > :from and a.modelId <> :to order by a.validFrom",
                        ModelAlias.class)
                .setParameter("ref", ref)
                .setParameter("scope", platformId == null ? "" : platformId)
                .setParameter("from", from)
                .setParameter("to", modelId)
                .getResultList();
    }

    /** The scope's aliases of {@code ref} from exactly {@code from}. */
    public List<ModelAlias> at(String ref, String platformId, Instant from) {
        return getEntityManager()
                .createQuery(
                        "from ModelAlias a where a.ref = :ref and coalesce(a.platformId, '') = :scope"
                                + " and a.validFrom = :from",
                        ModelAlias.class)
                .setParameter("ref", ref)
                .setParameter("scope", platformId == null ? "" : platformId)
                .setParameter("from", from)
                .getResultList();
    }

    /**
     * Holds, until the transaction ends, the lock on claims of {@code ref} (in any scope), so that
     * they are decided one at a time.
     */
    public void lockRef(String ref) {
        getEntityManager()
                .createNativeQuery("select pg_advisory_xact_lock(hashtextextended(?1, 19))")
                .setParameter(1, ref)
                .getSingleResult();
    }
}
