package dev.fairshare.registry.store;

import dev.fairshare.registry.domain.MakerNamespace;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** Makers' namespaces: ref prefixes, by prefix. */
@ApplicationScoped
public class MakerNamespaceRepository implements PanacheRepositoryBase<MakerNamespace, String> {

    /** Page {@code page} of the maker's namespaces, by prefix. */
    public Rows<MakerNamespace> ofMaker(String makerId, int page, int size) {
        return Rows.of(find("makerId", Sort.by("prefix"), makerId), page, size);
    }

    /** Grants are rare: one at a time, so that two overlapping grants cannot both pass. */
    public void lockForGrant() {
        getEntityManager()
                .createNativeQuery("lock table maker_namespace in share row exclusive mode")
                .executeUpdate();
    }

    /** The maker whose namespace holds {@code ref} (ignoring case; the longest prefix), or null. */
    public String ownerOf(String ref) {
        @SuppressWarnings("unchecked")
        List<String> owners =
                getEntityManager()
                        .createNativeQuery(
                                "select maker_id from maker_namespace"
                                        + " where starts_with(lower(?1), lower(prefix))"
                                        + " order by length(prefix) desc")
                        .setParameter(1, ref)
                        .getResultList();
        return owners.isEmpty() ? null : owners.get(0);
    }
}
