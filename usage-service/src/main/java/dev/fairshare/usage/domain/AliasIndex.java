package dev.fairshare.usage.domain;

import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Resolves a {@code modelRef} to a registered model at an instant: the platform's own alias first,
 * then a global alias, then a model whose id equals the ref; each alias counts from its validFrom.
 *
 * <p>Thread-safe: the replica writes, ingestion threads read, and every method holds the index's
 * lock, so a reader never sees a model between the removal of its old aliases and the arrival of
 * its new ones (an event resolved in that gap would be attributed to the wrong model for good).
 */
public final class AliasIndex {
    /** An alias as the registry publishes it; {@code platformId} null is global. */
    public record Alias(String ref, String platformId, Instant validFrom) {}

    private final Set<String> models = new HashSet<>();
    private final Map<String, List<Alias>> aliasesByModel = new HashMap<>();
    private final Map<String, NavigableMap<Instant, String>> targets = new HashMap<>();

    /** Replaces what the index knows of one model (its aliases included). */
    public synchronized void putModel(String modelId, List<Alias> aliases) {
        removeModel(modelId);
        models.add(modelId);
        aliasesByModel.put(modelId, List.copyOf(aliases));
        for (Alias a : aliases) {
            targets.computeIfAbsent(key(a.platformId(), a.ref()), k -> new TreeMap<>())
                    .put(a.validFrom(), modelId);
        }
    }

    public synchronized void removeModel(String modelId) {
        models.remove(modelId);
        List<Alias> old = aliasesByModel.remove(modelId);
        if (old == null) {
            return;
        }
        for (Alias a : old) {
            String key = key(a.platformId(), a.ref());
            NavigableMap<Instant, String> byTime = targets.get(key);
            if (byTime != null && modelId.equals(byTime.get(a.validFrom()))) {
                byTime.remove(a.validFrom());
                if (byTime.isEmpty()) {
                    targets.remove(key);
                }
            }
        }
    }

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

    /** The aliases of {@code modelId}; empty when the index does not know the model. */
    public synchronized Optional<List<Alias>> aliasesOf(String modelId) {
        return models.contains(modelId)
                ? Optional.of(aliasesByModel.getOrDefault(modelId, List.of()))
                : Optional.empty();
    }

    /** The refs that resolve to {@code modelId} at some instant: its aliases and its own id. */
    public synchronized Set<String> refsOf(String modelId) {
        Set<String> refs = new HashSet<>();
        refs.add(modelId);
        aliasesByModel.getOrDefault(modelId, List.of()).forEach(a -> refs.add(a.ref()));
        return refs;
    }

    private String lookup(String key, Instant at) {
        NavigableMap<Instant, String> byTime = targets.get(key);
        if (byTime == null) {
            return null;
        }
        Map.Entry<Instant, String> e = byTime.floorEntry(at);
        return e == null ? null : e.getValue();
    }

    private static String key(String platformId, String ref) {
        return (platformId == null ? "" : platformId) + "\u0000" + ref;
    }
}
