package dev.fairshare.usage.attribution;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolves a {@code modelRef} to a registered model at an instant: the platform's own alias first,
 * then a global alias, then a model whose id equals the ref; each alias counts from its validFrom.
 * Thread-safe: the replica writes, ingestion threads read.
 */
public final class AliasIndex {
    /** An alias as the registry publishes it; {@code platformId} null is global. */
    public record Alias(String ref, String platformId, Instant validFrom) {}

    private final Set<String> models = ConcurrentHashMap.newKeySet();
    private final Map<String, List<Alias>> aliasesByModel = new HashMap<>();
    private final Map<String, NavigableMap<Instant, String>> targets = new ConcurrentHashMap<>();

    /** Replaces what the index knows of one model (its aliases included). */
    public synchronized void putModel(String modelId, List<Alias> aliases) {
        removeModel(modelId);
        models.add(modelId);
        aliasesByModel.put(modelId, List.copyOf(aliases));
        for (Alias a : aliases) {
            targets.compute(
                    key(a.platformId(), a.ref()),
                    (k, m) -> {
                        NavigableMap<Instant, String> copy =
                                m == null ? new TreeMap<>() : new TreeMap<>(m);
                        copy.put(a.validFrom(), modelId);
                        return copy;
                    });
        }
    }

    public synchronized void removeModel(String modelId) {
        models.remove(modelId);
        List<Alias> old = aliasesByModel.remove(modelId);
        if (old == null) {
            return;
        }
        for (Alias a : old) {
            targets.computeIfPresent(
                    key(a.platformId(), a.ref()),
                    (k, m) -> {
                        NavigableMap<Instant, String> copy = new TreeMap<>(m);
                        if (modelId.equals(copy.get(a.validFrom()))) {
                            copy.remove(a.validFrom());
                        }
                        return copy.isEmpty() ? null : copy;
                    });
        }
    }

    /**
     * Synchronized with {@link #putModel}: a model's aliases are replaced atomically for readers.
     */
    public synchronized Optional<String> resolve(String platformId, String ref, Instant at) {
        String hit = lookup(key(platformId, ref), at);
        if (hit == null) {
            hit = lookup(key(null, ref), at);
        }
        if (hit == null && models.contains(ref)) {
            hit = ref;
        }
        return Optional.ofNullable(hit);
    }

    /** The refs that resolve to {@code modelId} at some instant: its aliases and its own id. */
    public synchronized Set<String> refsOf(String modelId) {
        Set<String> refs = new java.util.HashSet<>();
        refs.add(modelId);
        aliasesByModel.getOrDefault(modelId, List.of()).forEach(a -> refs.add(a.ref()));
        return refs;
    }

    public boolean knowsModel(String modelId) {
        return models.contains(modelId);
    }

    private String lookup(String key, Instant at) {
        NavigableMap<Instant, String> m = targets.get(key);
        if (m == null) {
            return null;
        }
        Map.Entry<Instant, String> e = m.floorEntry(at);
        return e == null ? null : e.getValue();
    }

    private static String key(String platformId, String ref) {
        return (platformId == null ? "" : platformId) + "\u0000" + ref;
    }
}
