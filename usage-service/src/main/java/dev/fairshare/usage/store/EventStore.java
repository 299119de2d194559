package dev.fairshare.usage.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fairshare.usage.config.Tracing;
import dev.fairshare.usage.domain.Attribution;
import dev.fairshare.usage.domain.UsageEvent;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The hot path's writes, in plain JDBC batches: raw events once per (platform, eventId), the
 * roll-up sums of only the new ones (which {@link RollupFolder} adds to the roll-ups and sends as
 * {@code usage.attributed} deltas), and the consumer offsets — all in the caller's transaction.
 */
@ApplicationScoped
public class EventStore {
    private static final Logger LOG = Logger.getLogger(EventStore.class);

    /**
     * The units of DESIGN.md's event, kept as roll-up columns; others go to {@code other_units}.
     */
    public static final List<String> STANDARD_UNITS =
            List.of(
                    "requests",
                    "input_tokens",
                    "output_tokens",
                    "characters",
                    "audio_seconds",
                    "gpu_seconds");

    private final Transactions transactions;
    private final ObjectMapper mapper;
    private final Tracing tracing;
    private final Set<YearMonth> partitions = ConcurrentHashMap.newKeySet();

    public EventStore(Transactions transactions, ObjectMapper mapper, Tracing tracing) {
        this.transactions = transactions;
        this.mapper = mapper;
        this.tracing = tracing;
    }

    /** A valid event with its attribution (empty: unattributed) and where it came from. */
    public record Incoming(
            UsageEvent event, Optional<List<Attribution.Part>> parts, String source) {}

    /** A consumer position to store with the data: the next offset to read. */
    public record Position(String group, String topic, int partition, long nextOffset) {}

    /** What a committed batch did. */
    public record Written(int newEvents, int duplicates, int unattributed) {}

    /** Forgets which monthly partitions exist (after a failure: they are looked up again). */
    public void forgetPartitions() {
        partitions.clear();
    }

    /**
     * The batch's rows, copied into a session-local table emptied at each commit; from there one
     * statement claims the (platform, eventId) keys and stores the events whose key was new.
     */
    static final String STAGE =
            "create temp table if not exists usage_stage ("
                    + " idx int not null, platform_id text collate \"C\" not null, event_id text collate \"C\" not null,"
                    + " occurred_at timestamptz not null, model_ref text not null, customer_type text not null,"
                    + " currency char(3) not null, revenue numeric not null, units json not null, components json,"
                    + " attribution json, subscriber_id text collate \"C\", source text not null) on commit delete rows";

    /**
     * Claims the staged keys (staged in key order, so that two writers never wait on each other in
     * a cycle), stores the events whose key was new and answers the batch positions of the others:
     * the duplicates of events stored before.
     */
    static final String CLAIM_AND_STORE =
            "with fresh as ("
                    + " insert into event_key (platform_id, event_id, occurred_at)"
                    + " select platform_id, event_id, occurred_at from usage_stage"
                    + " on conflict do nothing returning platform_id, event_id),"
                    + " stored as ("
                    + " insert into usage_event (platform_id, event_id, occurred_at, model_ref, customer_type, currency,"
                    + " revenue, units, components, attribution, subscriber_id, attributed_at, batch_id, source, received_at)"
                    + " select s.platform_id, s.event_id, s.occurred_at, s.model_ref, s.customer_type, s.currency,"
                    + " s.revenue, s.units, s.components, s.attribution, s.subscriber_id,"
                    + " case when s.attribution is null then null else now() end, ?::uuid, s.source, now()"
                    + " from usage_stage s join fresh f on f.platform_id = s.platform_id and f.event_id = s.event_id)"
                    + " select s.idx from usage_stage s where not exists"
                    + " (select 1 from fresh f where f.platform_id = s.platform_id and f.event_id = s.event_id)";

    /** Writes one batch in {@code c}'s transaction; the caller commits. */
    public Written write(Connection c, List<Incoming> batch, List<Position> positions)
            throws SQLException {
        UUID batchId = UUID.randomUUID();
        // the first of each (platform, eventId) within the batch, in key order: PostgreSQL then
        // finds its input sorted, and two writers claim keys in the same order (no deadlock)
        List<Incoming> unique = new ArrayList<>(batch.size());
        Set<String> keys = new HashSet<>(batch.size() * 2);
        for (Incoming in : batch) {
            if (keys.add(in.event().platformId() + "\u0000" + in.event().eventId())) {
                unique.add(in);
            }
        }
        unique.sort(KEY_ORDER);
        List<Incoming> fresh = List.of();
        long t0 = System.nanoTime();
        long t1 = t0;
        int rollupRows = 0;
        if (!unique.isEmpty()) {
            ensurePartitions(unique);
            fresh = insertEvents(c, unique, batchId);
            t1 = System.nanoTime();
            Map<RollupKey, RollupDelta> rollup = new HashMap<>();
            for (Incoming in : fresh) {
                in.parts().ifPresent(parts -> addToRollup(rollup, in.event(), parts));
            }
            applyRollup(c, rollup, batchId);
            rollupRows = rollup.size();
        }
        storePositions(c, positions);
        if (LOG.isDebugEnabled()) {
            LOG.debugf(
                    "%d events: staged and stored in %d ms, %d roll-up rows and positions in %d ms",
                    unique.size(),
                    (t1 - t0) / 1_000_000,
                    rollupRows,
                    (System.nanoTime() - t1) / 1_000_000);
        }
        int unattributed = (int) fresh.stream().filter(i -> i.parts().isEmpty()).count();
        return new Written(fresh.size(), batch.size() - fresh.size(), unattributed);
    }

    /** The order of event keys ({@code collate "C"} for the ASCII ids of practice). */
    static final Comparator<Incoming> KEY_ORDER =
            (a, b) -> {
                int byPlatform = a.event().platformId().compareTo(b.event().platformId());
                return byPlatform != 0
                        ? byPlatform
                        : a.event().eventId().compareTo(b.event().eventId());
            };

    static void addToRollup(
            Map<RollupKey, RollupDelta> rollup, UsageEvent e, List<Attribution.Part> parts) {
        for (Attribution.Part p : parts) {
            rollup.computeIfAbsent(RollupKey.of(e, p.modelId()), x -> new RollupDelta())
                    .add(p.revenue(), p.units());
        }
    }

    private void ensurePartitions(List<Incoming> events) {
        Instant min = events.get(0).event().occurredAt();
        Instant max = min;
        for (Incoming in : events) {
            Instant at = in.event().occurredAt();
            min = at.isBefore(min) ? at : min;
            max = at.isAfter(max) ? at : max;
        }
        boolean missing = false;
        for (YearMonth m = YearMonth.from(min.atZone(ZoneOffset.UTC));
                !m.isAfter(YearMonth.from(max.atZone(ZoneOffset.UTC)));
                m = m.plusMonths(1)) {
            missing |= !partitions.contains(m);
        }
        if (!missing) {
            return;
        }
        // committed on its own connection before the batch writes: a partition is never known
        // here before every writer can see it, and the parent's lock is held for an instant only
        String from = min.toString();
        String to = max.toString();
        transactions.read(
                own -> {
                    try (PreparedStatement ps =
                            own.prepareStatement(
                                    "select ensure_usage_event_partitions(?::timestamptz, ?::timestamptz)")) {
                        ps.setString(1, from);
                        ps.setString(2, to);
                        return ps.execute();
                    }
                });
        for (YearMonth m = YearMonth.from(min.atZone(ZoneOffset.UTC));
                !m.isAfter(YearMonth.from(max.atZone(ZoneOffset.UTC)));
                m = m.plusMonths(1)) {
            partitions.add(m);
        }
    }

    /** One row of {@code usage_stage}: its position, the event, its attribution and its source. */
    private static void stageRow(CopyRows rows, int idx, Incoming in) {
        UsageEvent e = in.event();
        rows.number(idx).tab().text(e.platformId()).tab().text(e.eventId()).tab();
        eventFields(rows, in);
        rows.tab().text(in.source()).end();
    }

    /** SQLSTATE of a unique violation. */
    private static final String UNIQUE_VIOLATION = "23505";

    static final String KEY_COPY = "copy event_key (platform_id, event_id, occurred_at) from stdin";

    static final String EVENT_COPY =
            "copy usage_event (platform_id, event_id, occurred_at, model_ref, customer_type, currency,"
                    + " revenue, units, components, attribution, subscriber_id, attributed_at, batch_id, source,"
                    + " received_at) from stdin";

    /** Writes the COPY row of the {@code idx}th event into {@code rows}. */
    @FunctionalInterface
    interface RowWriter {
        void write(CopyRows rows, int idx, Incoming in);
    }

    /** One streamed COPY of {@code events}, a row each. */
    private static void copy(Connection c, String sql, List<Incoming> events, RowWriter row)
            throws SQLException {
        CopyRows.copyIn(
                c,
                sql,
                rows -> {
                    for (int i = 0; i < events.size(); i++) {
                        row.write(rows, i, events.get(i));
                        rows.sendIfFull();
                    }
                });
    }

    /**
     * Stores the events of {@code unique} whose key is new; answers them. The common case, no key
     * seen before, is two COPYs: the keys into {@code event_key} (its primary key refuses a key
     * seen before), the events into {@code usage_event}. When a key was seen before, the COPYs are
     * rolled back to a savepoint and the batch takes the staged path, which sorts duplicates out.
     */
    private List<Incoming> insertEvents(Connection c, List<Incoming> unique, UUID batchId)
            throws SQLException {
        Savepoint beforeCopy = c.setSavepoint();
        try {
            Instant now = Instant.now();
            String batch = batchId.toString();
            copy(c, KEY_COPY, unique, (rows, i, in) -> keyRow(rows, in));
            copy(c, EVENT_COPY, unique, (rows, i, in) -> eventRow(rows, in, batch, now));
            return unique;
        } catch (SQLException e) {
            if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                throw e;
            }
            c.rollback(beforeCopy);
            return stageAndClaim(c, unique, batchId);
        }
    }

    /** One row of {@code event_key}. */
    private static void keyRow(CopyRows rows, Incoming in) {
        UsageEvent e = in.event();
        rows.text(e.platformId()).tab().text(e.eventId()).tab().instant(e.occurredAt()).end();
    }

    /** One row of {@code usage_event}, received (and attributed, if it is) {@code now}. */
    private static void eventRow(CopyRows rows, Incoming in, String batchId, Instant now) {
        UsageEvent e = in.event();
        rows.text(e.platformId()).tab().text(e.eventId()).tab();
        eventFields(rows, in);
        rows.tab();
        if (in.parts().isEmpty()) {
            rows.nul();
        } else {
            rows.instant(now);
        }
        rows.tab().ascii(batchId).tab().text(in.source()).tab().instant(now).end();
    }

    /**
     * The fields from occurredAt to the subscriber, in {@code usage_event}'s order: the same in
     * both paths.
     */
    private static void eventFields(CopyRows rows, Incoming in) {
        UsageEvent e = in.event();
        rows.instant(e.occurredAt()).tab();
        rows.text(e.modelRef()).tab().text(e.customerType()).tab().text(e.currency()).tab();
        rows.decimal(e.revenue()).tab().jsonNumbers(e.units(), false).tab();
        if (e.components().isEmpty()) {
            rows.nul();
        } else {
            componentsJson(rows, e.components());
        }
        rows.tab();
        if (in.parts().isEmpty()) {
            rows.nul();
        } else {
            attributionJson(rows, in.parts().get());
        }
        rows.tab();
        if (e.subscriberId() == null) {
            rows.nul();
        } else {
            rows.text(e.subscriberId());
        }
    }

    /**
     * The path of a batch with keys seen before: stages {@code unique} with one COPY, then claims
     * the new keys and stores their events in one statement; answers the new ones.
     */
    private List<Incoming> stageAndClaim(Connection c, List<Incoming> unique, UUID batchId)
            throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(STAGE);
        }
        copy(c, "copy usage_stage from stdin", unique, EventStore::stageRow);
        BitSet duplicate = new BitSet(unique.size());
        try (PreparedStatement ps = c.prepareStatement(CLAIM_AND_STORE)) {
            ps.setString(1, batchId.toString());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    duplicate.set(rs.getInt(1));
                }
            }
        }
        if (duplicate.isEmpty()) {
            return unique;
        }
        List<Incoming> fresh = new ArrayList<>(unique.size() - duplicate.cardinality());
        for (int i = 0; i < unique.size(); i++) {
            if (!duplicate.get(i)) {
                fresh.add(unique.get(i));
            }
        }
        return fresh;
    }

    /**
     * Appends {@code rollup} to the roll-ups as one row of {@code usage_rollup_batch}, its sums as
     * a JSON array ({@link #rollupJson}). {@link RollupFolder} adds them to the roll-ups and sends
     * them as {@code usage.attributed} deltas, both in its own transaction. Pooled sums (a key per
     * subscriber) are sent here, in the caller's transaction, as deltas of {@code batchId}, and
     * left to the fold under one key {@linkplain RollupKey#asSent already sent}, for the roll-up
     * only: across batches they have little to add up, and the fold would hold every one of them. A
     * sampled trace goes on with the batch id to the fold and the relay of its deltas.
     */
    public void applyRollup(Connection c, Map<RollupKey, RollupDelta> rollup, UUID batchId)
            throws SQLException {
        if (rollup.isEmpty()) {
            return;
        }
        tracing.handOver(batchId.toString());
        Map<RollupKey, RollupDelta> pooled = new HashMap<>();
        rollup.forEach(
                (k, d) -> {
                    if (k.subscriberId() != null) {
                        pooled.put(k, d);
                    }
                });
        if (!pooled.isEmpty()) {
            AttributedOutbox.send(c, pooled, batchId.toString());
            // sent: the fold only adds them to the roll-up, one key for all subscribers
            pooled.forEach(
                    (k, d) -> {
                        rollup.remove(k);
                        rollup.computeIfAbsent(k.asSent(), x -> new RollupDelta())
                                .addSums(d.events(), d.revenue(), d.units());
                    });
        }
        CopyRows.copyIn(
                c,
                ROLLUP_BATCH_COPY,
                rows -> {
                    rows.ascii(batchId.toString()).tab().json('[');
                    boolean first = true;
                    for (Map.Entry<RollupKey, RollupDelta> e : rollup.entrySet()) {
                        if (!first) {
                            rows.json(',');
                        }
                        first = false;
                        rollupJson(rows, e.getKey(), e.getValue());
                        rows.sendIfFull();
                    }
                    rows.json(']').end();
                });
    }

    static final String ROLLUP_BATCH_COPY = "copy usage_rollup_batch (batch_id, deltas) from stdin";

    /**
     * One roll-up key's sums in {@code usage_rollup_batch}: {@code {"p": platform, "m": model, "d":
     * day, "c": customer type, "k": currency, "s": subscriber (pooled usage only), "n": events,
     * "r": revenue, "u": {unit: quantity}}}, numbers exact; read back by {@link RollupBatches}.
     */
    static void rollupJson(CopyRows rows, RollupKey k, RollupDelta d) {
        rows.json('{').jsonString("p").json(':').jsonString(k.platformId());
        rows.json(',').jsonString("m").json(':').jsonString(k.modelId());
        rows.json(',').jsonString("d").json(':').json('"').ascii(k.day().toString()).json('"');
        rows.json(',').jsonString("c").json(':').jsonString(k.customerType());
        rows.json(',').jsonString("k").json(':').jsonString(k.currency());
        if (k.subscriberId() != null) {
            rows.json(',').jsonString("s").json(':').jsonString(k.subscriberId());
        }
        rows.json(',').jsonString("n").json(':').number(d.events());
        rows.json(',').jsonString("r").json(':').decimal(d.revenue());
        rows.json(',').jsonString("u").json(':').jsonNumbers(d.units(), false).json('}');
    }

    void storePositions(Connection c, List<Position> positions) throws SQLException {
        if (positions.isEmpty()) {
            return;
        }
        try (PreparedStatement ps =
                c.prepareStatement(
                        "insert into consumer_offset (consumer_group, topic, partition_no, next_offset) values (?, ?, ?, ?)"
                                + " on conflict (consumer_group, topic, partition_no) do update set next_offset = excluded.next_offset")) {
            for (Position p : positions) {
                ps.setString(1, p.group());
                ps.setString(2, p.topic());
                ps.setInt(3, p.partition());
                ps.setLong(4, p.nextOffset());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** The stored next offsets of {@code group} for the given topic partitions. */
    public Map<String, Long> positions(String group, Set<String> topicPartitions) {
        return transactions.read(
                c -> {
                    Map<String, Long> out = new java.util.HashMap<>();
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "select topic, partition_no, next_offset from consumer_offset where consumer_group = ?")) {
                        ps.setString(1, group);
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                String tp = rs.getString(1) + "-" + rs.getInt(2);
                                if (topicPartitions.contains(tp)) {
                                    out.put(tp, rs.getLong(3));
                                }
                            }
                        }
                    }
                    return out;
                });
    }

    /**
     * Unattributed events whose ref (or one of whose components' refs) is among {@code refs}, at
     * most {@code limit}, after the key {@code afterPlatform}/{@code afterEvent} (keyset paging).
     */
    public List<UsageEvent> unattributed(
            Connection c, Set<String> refs, String afterPlatform, String afterEvent, int limit)
            throws SQLException {
        List<UsageEvent> out = new ArrayList<>();
        try (PreparedStatement ps =
                c.prepareStatement(
                        "select platform_id, event_id, occurred_at, model_ref, customer_type, currency, revenue, units, components,"
                                + " subscriber_id from usage_event where attribution is null"
                                + " and (?::text[] is null or model_ref = any(?::text[]) or components is not null)"
                                + " and (platform_id, event_id) > (?, ?)"
                                + " order by platform_id, event_id limit ?")) {
            java.sql.Array refArray = refs == null ? null : c.createArrayOf("text", refs.toArray());
            ps.setArray(1, refArray);
            ps.setArray(2, refArray);
            ps.setString(3, afterPlatform);
            ps.setString(4, afterEvent);
            ps.setInt(5, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(readEvent(rs));
                }
            }
        }
        return out;
    }

    UsageEvent readEvent(ResultSet rs) throws SQLException {
        try {
            Map<String, java.math.BigDecimal> units = new TreeMap<>();
            mapper.readTree(rs.getString("units"))
                    .fields()
                    .forEachRemaining(e -> units.put(e.getKey(), e.getValue().decimalValue()));
            List<UsageEvent.Component> components = new ArrayList<>();
            String comp = rs.getString("components");
            if (comp != null) {
                for (var n : mapper.readTree(comp)) {
                    components.add(
                            new UsageEvent.Component(
                                    n.get("modelRef").asText(), n.get("weight").decimalValue()));
                }
            }
            return new UsageEvent(
                    rs.getString("event_id"),
                    rs.getString("platform_id"),
                    rs.getString("model_ref"),
                    rs.getTimestamp("occurred_at").toInstant(),
                    rs.getString("customer_type"),
                    units,
                    rs.getBigDecimal("revenue"),
                    rs.getString("currency"),
                    components,
                    rs.getString("subscriber_id"));
        } catch (JsonProcessingException e) {
            throw new SQLException("unreadable stored event", e);
        }
    }

    /**
     * Attributes stored events that were unattributed: marks each (only if it still is), then adds
     * the marked ones to the roll-ups and the outbox. Returns how many it attributed.
     */
    public int attributeLate(Connection c, List<Incoming> resolved) throws SQLException {
        Map<RollupKey, RollupDelta> rollup = new HashMap<>();
        int n = 0;
        try (PreparedStatement ps =
                c.prepareStatement(
                        "update usage_event set attribution = ?::json, attributed_at = now()"
                                + " where platform_id = ? and event_id = ? and occurred_at = ?::timestamptz and attribution is null")) {
            for (Incoming in : resolved) {
                UsageEvent e = in.event();
                ps.setString(1, json(attributionValue(in.parts().orElseThrow())));
                ps.setString(2, e.platformId());
                ps.setString(3, e.eventId());
                ps.setString(4, e.occurredAt().toString());
                if (ps.executeUpdate() == 1) {
                    addToRollup(rollup, e, in.parts().orElseThrow());
                    n++;
                }
            }
        }
        applyRollup(c, rollup, UUID.randomUUID());
        return n;
    }

    /**
     * A plain event's attribution: one model, weight 1, the event's own revenue and units — stored
     * as {@code [{"modelId","weight":"1"}]} (usage_event.attribution), the rest filled in when it
     * is read.
     */
    static boolean plain(List<Attribution.Part> parts) {
        return parts.size() == 1 && parts.get(0).weight().compareTo(BigDecimal.ONE) == 0;
    }

    /**
     * The attribution column: {@code [{"modelId","weight","revenue","units"}]}, amounts and
     * quantities as exact decimal strings; a plain event's as {@code [{"modelId","weight":"1"}]}.
     * {@link #attributionValue} is the same for Jackson.
     */
    static void attributionJson(CopyRows out, List<Attribution.Part> parts) {
        out.json('[');
        for (int i = 0; i < parts.size(); i++) {
            Attribution.Part p = parts.get(i);
            if (i > 0) {
                out.json(',');
            }
            out.json('{').jsonString("modelId").json(':').jsonString(p.modelId());
            out.json(',').jsonString("weight").json(':').jsonString(p.weight().toPlainString());
            if (!plain(parts)) {
                out.json(',').jsonString("revenue").json(':');
                out.jsonString(p.revenue().toPlainString());
                out.json(',').jsonString("units").json(':').jsonNumbers(p.units(), true);
            }
            out.json('}');
        }
        out.json(']');
    }

    /** The attribution column's value, for Jackson: as {@link #attributionJson} writes it. */
    static List<Map<String, Object>> attributionValue(List<Attribution.Part> parts) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Attribution.Part p : parts) {
            Map<String, Object> part = new TreeMap<>();
            part.put("modelId", p.modelId());
            part.put("weight", p.weight().toPlainString());
            if (!plain(parts)) {
                Map<String, String> units = new TreeMap<>();
                p.units().forEach((u, q) -> units.put(u, q.toPlainString()));
                part.put("revenue", p.revenue().toPlainString());
                part.put("units", units);
            }
            out.add(part);
        }
        return out;
    }

    /** The components column: {@code [{"modelRef","weight"}]}, weights as JSON numbers. */
    static void componentsJson(CopyRows out, List<UsageEvent.Component> components) {
        out.json('[');
        for (int i = 0; i < components.size(); i++) {
            UsageEvent.Component c = components.get(i);
            if (i > 0) {
                out.json(',');
            }
            out.json('{').jsonString("modelRef").json(':').jsonString(c.modelRef());
            out.json(',').jsonString("weight").json(':').decimal(c.weight()).json('}');
        }
        out.json(']');
    }

    String json(Object o) {
        try {
            return mapper.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
