package dev.fairshare.usage.kafka;

import dev.fairshare.usage.domain.Attribution;
import dev.fairshare.usage.domain.UsageEvent;
import dev.fairshare.usage.store.EventStore;
import dev.fairshare.usage.store.Transactions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.jboss.logging.Logger;

/**
 * Events stored unattributed, because a model they name was not registered yet, are attributed once
 * the registry replica reads a change to that model. The inbound consumer runs it between two
 * polls, after the batches parsed before the change are committed.
 */
final class LateAttribution {
    /** A re-attribution request for every stored unattributed event. */
    static final String ALL_MODELS = "\u0000all";

    private static final Logger LOG = Logger.getLogger(LateAttribution.class);

    private final EventStore store;
    private final Transactions transactions;
    private final RegistryReplica replica;
    private final ConcurrentLinkedQueue<String> changedModels = new ConcurrentLinkedQueue<>();

    LateAttribution(EventStore store, Transactions transactions, RegistryReplica replica) {
        this.store = store;
        this.transactions = transactions;
        this.replica = replica;
        replica.onModelChange(changedModels::add);
    }

    /**
     * Asks for every stored unattributed event: after each start, the registry may have changed
     * while this service was down.
     */
    void requestAll() {
        changedModels.add(ALL_MODELS);
    }

    /** Whether a model changed since the last {@link #attributeChangedModels()}. */
    boolean pending() {
        return !changedModels.isEmpty();
    }

    /** Events stored unattributed that a changed model may now claim are attributed now. */
    void attributeChangedModels() {
        Set<String> models = new HashSet<>();
        for (String m; (m = changedModels.poll()) != null; ) {
            models.add(m);
        }
        if (models.isEmpty()) {
            return;
        }
        // ALL_MODELS after each start: the registry may have changed while this service was down
        Set<String> refs = models.contains(ALL_MODELS) ? null : new HashSet<>();
        if (refs != null) {
            models.forEach(m -> refs.addAll(replica.aliases().refsOf(m)));
        }
        try {
            Page page = new Page(0, "", "");
            while ((page = attributeNext(refs, page)) != null) {
                if (page.attributed() > 0) {
                    LOG.infof(
                            "attributed %d stored events after a registry change",
                            page.attributed());
                }
            }
        } catch (Exception e) {
            LOG.warnf("re-attribution failed, will retry: %s", e.toString());
            changedModels.addAll(models);
            store.forgetPartitions();
        }
    }

    /** A page of candidates: how many were attributed, and the key of the last one. */
    private record Page(int attributed, String lastPlatform, String lastEvent) {}

    /**
     * Attributes the candidates of {@code refs} (all when null) after {@code previous}'s last key
     * that now resolve, a page in one transaction; null when none is left.
     */
    private Page attributeNext(Set<String> refs, Page previous) {
        return transactions.inTransaction(
                c -> {
                    List<UsageEvent> candidates =
                            store.unattributed(
                                    c, refs, previous.lastPlatform(), previous.lastEvent(), 2000);
                    if (candidates.isEmpty()) {
                        return null;
                    }
                    List<EventStore.Incoming> resolved = new ArrayList<>();
                    for (UsageEvent e : candidates) {
                        Attribution.attribute(e, replica.aliases())
                                .ifPresent(
                                        parts ->
                                                resolved.add(
                                                        new EventStore.Incoming(
                                                                e,
                                                                Optional.of(parts),
                                                                "reattributed")));
                    }
                    int n = store.attributeLate(c, resolved);
                    UsageEvent last = candidates.get(candidates.size() - 1);
                    return new Page(n, last.platformId(), last.eventId());
                });
    }
}
