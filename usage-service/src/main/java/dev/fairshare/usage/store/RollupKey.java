package dev.fairshare.usage.store;

import dev.fairshare.usage.domain.UsageEvent;
import java.time.LocalDate;

/**
 * The roll-up grain: (platform, model, UTC day, customer type, currency), and the subscriber for
 * pooled usage (null for usage rated per event). A batch's pooled sums, once sent, are kept for the
 * roll-up under {@link #SENT} in place of a subscriber (no subscriberId is empty).
 */
public record RollupKey(
        String platformId,
        String modelId,
        LocalDate day,
        String customerType,
        String currency,
        String subscriberId) {

    /** The key of usage rated per event: no subscriber. */
    public RollupKey(
            String platformId,
            String modelId,
            LocalDate day,
            String customerType,
            String currency) {
        this(platformId, modelId, day, customerType, currency, null);
    }

    /** The subscriber of pooled sums already sent as deltas: only the roll-up still needs them. */
    static final String SENT = "";

    /** Whether these are pooled sums already sent as deltas. */
    boolean sent() {
        return SENT.equals(subscriberId);
    }

    /** This key without its subscriber: the grain of {@code usage_rollup}. */
    RollupKey withoutSubscriber() {
        return new RollupKey(platformId, modelId, day, customerType, currency);
    }

    /** This key's pooled sums once sent: kept for the roll-up only. */
    RollupKey asSent() {
        return new RollupKey(platformId, modelId, day, customerType, currency, SENT);
    }

    /** The key of {@code e}'s part paid to {@code modelId}: its UTC day, its subscriber if any. */
    static RollupKey of(UsageEvent e, String modelId) {
        LocalDate day =
                LocalDate.ofEpochDay(Math.floorDiv(e.occurredAt().getEpochSecond(), 86_400));
        return new RollupKey(
                e.platformId(), modelId, day, e.customerType(), e.currency(), e.subscriberId());
    }
}
