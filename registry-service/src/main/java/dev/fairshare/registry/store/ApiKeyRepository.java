package dev.fairshare.registry.store;

import dev.fairshare.registry.domain.ApiKey;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** Platforms' API keys (their hashes), by key id. */
@ApplicationScoped
public class ApiKeyRepository implements PanacheRepositoryBase<ApiKey, String> {

    /** The key with this hash of its secret, or null. */
    public ApiKey findByHash(String keyHash) {
        return find("keyHash", keyHash).firstResult();
    }

    /** The platform's keys, oldest first. */
    public List<ApiKey> ofPlatform(String platformId) {
        return list("platformId", Sort.by("createdAt").and("id"), platformId);
    }
}
