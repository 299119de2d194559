package dev.fairshare.usage.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fairshare.usage.domain.AliasIndex;
import dev.fairshare.usage.domain.Attribution;
import dev.fairshare.usage.domain.UsageEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Applies a dispute correction (DESIGN.md "Who may name a model") to the stored events: every event
 * of the ref in the dispute's scope (one platform, or all) from its day on is resolved again with
 * the registry replica, which already holds the dispute's alias. A part that the ref paid to a
 * model now pays the model the ref resolves to; an event that was unattributed is attributed when
 * it now resolves whole. The old parts' sums leave the roll-ups and the new ones enter them, as
 * roll-up batch rows that {@link RollupFolder} folds and sends as {@code usage.attributed} deltas:
 * negative for the models that lose the parts, positive for the ones that gain them.
 *
 * <p>A pipeline's other components keep their models. Everything commits in one transaction with
 * the dispute's row and the topic position, and each event changes only if its attribution is still
 * the one read: a dispute applied again, or by two instances at once, moves nothing twice.
 */
@ApplicationScoped
public class Reattributions {
    /** Events read and moved per statement. */
    static final int PAGE = 2_000;

    /** A dispute as {@code registry.reattributions} carries it. */
    public record Dispute(
            String disputeId, String ref, String platformId, String toModelId, Instant from) {}

    /** What applying a dispute did; {@code alreadyApplied} when an earlier delivery did it all. */
    public record Applied(boolean alreadyApplied, long moved, long attributed) {}

    @Inject EventStore store;
    @Inject Transactions transactions;
    @Inject ObjectMapper mapper;

    static final String CANDIDATES =
            "select platform_id, event_id, occurred_at, model_ref, customer_type, currency, revenue,"
                    + " units, components, subscriber_id, attribution::text as attribution from usage_event"
                    + " where occurred_at >= ?::timestamptz and (?::text is null or platform_id = ?)"
                    + " and ((components is null and model_ref = ?)"
                    + " or (components is not null and components::jsonb @> jsonb_build_array(jsonb_build_object('modelRef', ?::text))))"
                    + " and (platform_id, event_id, occurred_at) > (?, ?, ?::timestamptz)"
                    + " order by platform_id, event_id, occurred_at limit ?";

    static final String MOVE =
            "update usage_event set attribution = ?::json, attributed_at = now()"
                    + " where platform_id = ? and event_id = ? and occurred_at = ?::timestamptz"
                    + " and coalesce(attribution::text, '') = ?";

    /**
     * Applies {@code d} with {@code index} (which must hold the dispute's registry state) and
     * stores {@code position} with it, in one transaction on a connection of its own. When another
     * instance recorded the dispute first, that transaction is rolled back and {@code position} is
     * stored alone.
     */
    public Applied apply(Dispute d, AliasIndex index, EventStore.Position position) {
        try {
            return transactions.inTransaction(c -> apply(c, d, index, position));
        } catch (AppliedMeanwhile e) {
            skip(position);
            return new Applied(true, 0, 0);
        }
    }

    /** Rolls back a dispute's transaction that another instance recorded first. */
    private static final class AppliedMeanwhile extends RuntimeException {
        AppliedMeanwhile() {
            super("another instance applied the dispute meanwhile", null, false, false);
        }
    }

    private Applied apply(Connection c, Dispute d, AliasIndex index, EventStore.Position position)
            throws SQLException {
        if (known(c, d.disputeId())) {
            store.storePositions(c, List.of(position));
            return new Applied(true, 0, 0);
        }
        Tally tally = new Tally();
        String afterPlatform = "";
        String afterEvent = "";
        Instant afterAt = Instant.EPOCH;
        try (PreparedStatement select = c.prepareStatement(CANDIDATES);
                PreparedStatement move = c.prepareStatement(MOVE)) {
            while (true) {
                List<Stored> page = candidates(select, d, afterPlatform, afterEvent, afterAt);
                if (page.isEmpty()) {
                    break;
                }
                store.applyRollup(c, move(move, page, d, index, tally), UUID.randomUUID());
                UsageEvent last = page.get(page.size() - 1).event();
                afterPlatform = last.platformId();
                afterEvent = last.eventId();
                afterAt = last.occurredAt();
            }
        }
        if (!recordApplied(c, d, tally)) {
            // another instance applied it meanwhile; the guard above moved nothing twice
            throw new AppliedMeanwhile();
        }
        store.storePositions(c, List.of(position));
        return new Applied(false, tally.moved, tally.attributed);
    }

    /** The events a dispute moves (or attributes) and that it has not yet. */
    private static final class Tally {
        long moved;
        long attributed;
    }

    /** The next page of stored events that the dispute's ref may name, after the given one. */
    private List<Stored> candidates(
            PreparedStatement select,
            Dispute d,
            String afterPlatform,
            String afterEvent,
            Instant afterAt)
            throws SQLException {
        select.setString(1, d.from().toString());
        select.setString(2, d.platformId());
        select.setString(3, d.platformId());
        select.setString(4, d.ref());
        select.setString(5, d.ref());
        select.setString(6, afterPlatform);
        select.setString(7, afterEvent);
        select.setString(8, afterAt.toString());
        select.setInt(9, PAGE);
        List<Stored> page = new ArrayList<>(PAGE);
        try (ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                page.add(new Stored(store.readEvent(rs), rs.getString("attribution")));
            }
        }
        return page;
    }

    /**
     * Re-attributes the page's events whose attribution the dispute changes (unless another
     * instance changed it first); answers the roll-up changes: taken from the old model, added to
     * the new.
     */
    private Map<RollupKey, RollupDelta> move(
            PreparedStatement move, List<Stored> page, Dispute d, AliasIndex index, Tally tally)
            throws SQLException {
        Map<RollupKey, RollupDelta> rollup = new HashMap<>();
        for (Stored s : page) {
            Change change = change(s, d.ref(), index);
            if (change == null) {
                continue;
            }
            UsageEvent e = s.event();
            move.setString(1, store.json(EventStore.attributionValue(change.now())));
            move.setString(2, e.platformId());
            move.setString(3, e.eventId());
            move.setString(4, e.occurredAt().toString());
            move.setString(5, s.attribution() == null ? "" : s.attribution());
            if (move.executeUpdate() != 1) {
                continue;
            }
            if (change.before().isEmpty()) {
                tally.attributed++;
            } else {
                tally.moved++;
                subtract(rollup, e, change.before());
            }
            EventStore.addToRollup(rollup, e, change.now());
        }
        return rollup;
    }

    /** Records the dispute as applied; false when another instance recorded it first. */
    private static boolean recordApplied(Connection c, Dispute d, Tally tally) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "insert into reattribution (dispute_id, ref, platform_id, to_model_id, from_day,"
                                + " events_moved, events_attributed, applied_at)"
                                + " values (?, ?, ?, ?, ?::timestamptz, ?, ?, now()) on conflict do nothing")) {
            ps.setString(1, d.disputeId());
            ps.setString(2, d.ref());
            ps.setString(3, d.platformId());
            ps.setString(4, d.toModelId());
            ps.setString(5, d.from().toString());
            ps.setLong(6, tally.moved);
            ps.setLong(7, tally.attributed);
            return ps.executeUpdate() != 0;
        }
    }

    /**
     * Stores {@code position} alone, in a transaction of its own: the record there is passed over
     * (unreadable, or applied by another instance).
     */
    public void skip(EventStore.Position position) {
        transactions.inTransaction(
                c -> {
                    store.storePositions(c, List.of(position));
                    return null;
                });
    }

    private static boolean known(Connection c, String disputeId) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("select 1 from reattribution where dispute_id = ?")) {
            ps.setString(1, disputeId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** A stored event and its attribution column as text (null: unattributed). */
    private record Stored(UsageEvent event, String attribution) {}

    /** An event's parts before (empty: it was unattributed) and now. */
    private record Change(List<Attribution.Part> before, List<Attribution.Part> now) {}

    /** How the event's attribution changes, or null when it stays as it is. */
    private Change change(Stored s, String ref, AliasIndex index) {
        UsageEvent e = s.event();
        if (s.attribution() == null) {
            return Attribution.attribute(e, index)
                    .map(parts -> new Change(List.of(), parts))
                    .orElse(null);
        }
        List<String> before = modelIds(s.attribution());
        List<String> now = new ArrayList<>(before);
        if (e.components().isEmpty()) {
            if (!e.modelRef().equals(ref) || before.size() != 1) {
                return null;
            }
            index.resolve(e.platformId(), ref, e.occurredAt()).ifPresent(m -> now.set(0, m));
        } else {
            if (before.size() != e.components().size()) {
                return null;
            }
            for (int i = 0; i < e.components().size(); i++) {
                if (e.components().get(i).modelRef().equals(ref)) {
                    int part = i;
                    index.resolve(e.platformId(), ref, e.occurredAt())
                            .ifPresent(m -> now.set(part, m));
                }
            }
        }
        if (now.equals(before)) {
            return null;
        }
        return new Change(parts(e, before), parts(e, now));
    }

    /** The parts of {@code e} paid to {@code models}, split as ingestion splits them. */
    private static List<Attribution.Part> parts(UsageEvent e, List<String> models) {
        if (e.components().isEmpty()) {
            return List.of(
                    new Attribution.Part(models.get(0), BigDecimal.ONE, e.units(), e.revenue()));
        }
        return Attribution.split(e, models);
    }

    /** The model ids of a stored attribution, in the order of its parts. */
    private List<String> modelIds(String attribution) {
        try {
            List<String> ids = new ArrayList<>();
            for (JsonNode part : mapper.readTree(attribution)) {
                ids.add(part.get("modelId").asText());
            }
            return ids;
        } catch (IOException e) {
            throw new IllegalStateException("unreadable stored attribution " + attribution, e);
        }
    }

    /**
     * Takes {@code parts} of {@code e} out of the roll-ups: one event less per part, under the
     * event's subscriber when it has one (so pooled usage moves with its subscriber).
     */
    static void subtract(
            Map<RollupKey, RollupDelta> rollup, UsageEvent e, List<Attribution.Part> parts) {
        for (Attribution.Part p : parts) {
            Map<String, BigDecimal> negated = new TreeMap<>();
            p.units().forEach((u, q) -> negated.put(u, q.negate()));
            rollup.computeIfAbsent(RollupKey.of(e, p.modelId()), x -> new RollupDelta())
                    .addSums(-1, p.revenue().negate(), negated);
        }
    }
}
