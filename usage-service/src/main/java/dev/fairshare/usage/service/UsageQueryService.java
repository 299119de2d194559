package dev.fairshare.usage.service;

import dev.fairshare.usage.domain.UsageViews.StoredEvent;
import dev.fairshare.usage.domain.UsageViews.SummaryItem;
import dev.fairshare.usage.domain.UsageViews.Unattributed;
import dev.fairshare.usage.problem.ProblemException;
import dev.fairshare.usage.store.UsageQueries;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.LocalDate;
import java.util.List;

/**
 * The read side of the stored usage: roll-up summaries, unattributed usage and the audit
 * drill-down. {@code platformId} is the platform the caller may read (null: every platform).
 */
@ApplicationScoped
public class UsageQueryService {
    private final UsageQueries queries;

    public UsageQueryService(UsageQueries queries) {
        this.queries = queries;
    }

    /** The roll-ups by platform, model and {@code groupBy} ({@code day} or {@code month}). */
    public List<SummaryItem> summary(
            String platformId, String modelId, LocalDate from, LocalDate to, String groupBy) {
        return queries.summary(platformId, modelId, from, to, groupBy);
    }

    public List<Unattributed> unattributed(String platformId) {
        return queries.unattributed(platformId);
    }

    /**
     * The stored event {@code platformId}/{@code eventId}; 404 when it does not exist or belongs to
     * a platform other than {@code ownPlatform} (null: the caller reads every platform).
     */
    public StoredEvent event(String platformId, String eventId, String ownPlatform) {
        // another platform's event is answered as if it did not exist
        return queries.event(platformId, eventId)
                .filter(e -> ownPlatform == null || ownPlatform.equals(platformId))
                .orElseThrow(() -> ProblemException.notFound("event", platformId + "/" + eventId));
    }

    /** A page of {@code platformId}'s stored events, by occurredAt day range [from, to]. */
    public Page<StoredEvent> events(
            String platformId, String modelId, LocalDate from, LocalDate to, int page, int size) {
        return new Page<>(
                queries.events(platformId, modelId, from, to, page, size),
                page,
                size,
                queries.countEvents(platformId, modelId, from, to));
    }
}
