package dev.fairshare.usage.service;

import dev.fairshare.usage.domain.UsageViews.Quarantined;
import dev.fairshare.usage.store.Quarantines;
import jakarta.enterprise.context.ApplicationScoped;

/** The review of the inbound records that the consumer set aside instead of storing. */
@ApplicationScoped
public class QuarantineService {
    private final Quarantines quarantines;

    public QuarantineService(Quarantines quarantines) {
        this.quarantines = quarantines;
    }

    /** A page of {@code platformId}'s quarantined records (all when null), newest first. */
    public Page<Quarantined> list(String platformId, int page, int size) {
        Page.check(page, size);
        return new Page<>(
                quarantines.list(platformId, page, size),
                page,
                size,
                quarantines.count(platformId));
    }
}
