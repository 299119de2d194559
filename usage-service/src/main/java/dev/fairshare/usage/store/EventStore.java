package dev.fairshare.usage.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fairshare.usage.attribution.Attribution;
import dev.fairshare.usage.ingest.UsageEvent;
import dev.fairshare.usage.kafka.AttributedDelta;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
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
import java.util.function.Consumer;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * The hot path's writes, in plain JDBC batches: raw events once per (platform, eventId), the
 * roll-ups of only the new ones, their {@code usage.attributed} deltas in the outbox, and the
 * consumer offsets — all in the caller's transaction.
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

    /** Adds a batch's sums to the roll-ups: plain additions, jsonb work only for unusual units. */
    static final String ROLLUP_UPSERT =
            "insert into usage_rollup (platform_id, model_id, day, customer_type, currency, events, revenue, "
                    + String.join(", ", STANDARD_UNITS)
                    + ", other_units) select * from unnest(?::text[], ?::text[], ?::date[], ?::text[], ?::text[], ?::bigint[], ?::numeric[], "
                    + "?::numeric[], ".repeat(STANDARD_UNITS.size())
                    + "?::jsonb[]) on conflict (platform_id, model_id, day, customer_type, currency) do update set"
                    + " events = usage_rollup.events + excluded.events, revenue = usage_rollup.revenue + excluded.revenue, "
                    + STANDARD_UNITS.stream()
                            .map(u -> u + " = usage_rollup." + u + " + excluded." + u)
                            .collect(java.util.stream.Collectors.joining(", "))
                    + ", other_units = case when excluded.other_units = '{}'::jsonb then usage_rollup.other_units"
                    + " else add_units(usage_rollup.other_units, excluded.other_units) end";

    private final AgroalDataSource dataSource;
    private final ObjectMapper mapper;
    private final Set<YearMonth> partitions = ConcurrentHashMap.newKeySet();

    public EventStore(AgroalDataSource dataSource, ObjectMapper mapper) {
        this.dataSource = dataSource;
        this.mapper = mapper;
    }

    /** A valid event with its attribution (empty: unattributed) and where it came from. */
    public record Incoming(
            UsageEvent event, Optional<List<Attribution.Part>> parts, String source) {}

    /** A consumer position to store with the data: the next offset to read. */
    public record Position(String group, String topic, int partition, long nextOffset) {}

    /** What a committed batch did. */
    public record Written(int newEvents, int duplicates, int unattributed) {}

    public Connection connection() throws SQLException {
        Connection c = dataSource.getConnection();
        c.setAutoCommit(false);
        return c;
    }

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
                    + " currency char(3) not null, revenue numeric not null, units jsonb not null, components jsonb,"
                    + " attribution jsonb, source text not null) on commit delete rows";

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
                    + " revenue, units, components, attribution, attributed_at, batch_id, source, received_at)"
                    + " select s.platform_id, s.event_id, s.occurred_at, s.model_ref, s.customer_type, s.currency,"
                    + " s.revenue, s.units, s.components, s.attribution,"
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
            Comparator.comparing((Incoming in) -> in.event().platformId())
                    .thenComparing(in -> in.event().eventId());

    /** The order in which roll-up rows are locked: the same in every writer, so no deadlock. */
    static final Comparator<RollupKey> ROLLUP_ORDER =
            Comparator.comparing(RollupKey::platformId)
                    .thenComparing(RollupKey::modelId)
                    .thenComparing(RollupKey::day)
                    .thenComparing(RollupKey::customerType)
                    .thenComparing(RollupKey::currency);

    static void addToRollup(
            Map<RollupKey, RollupDelta> rollup, UsageEvent e, List<Attribution.Part> parts) {
        LocalDate day = LocalDate.ofInstant(e.occurredAt(), ZoneOffset.UTC);
        for (Attribution.Part p : parts) {
            RollupKey k =
                    new RollupKey(e.platformId(), p.modelId(), day, e.customerType(), e.currency());
            rollup.computeIfAbsent(k, x -> new RollupDelta()).add(p.revenue(), p.units());
        }
    }

    private void ensurePartitions(List<Incoming> events) throws SQLException {
        Instant min = null;
        Instant max = null;
        boolean missing = false;
        for (Incoming in : events) {
            Instant at = in.event().occurredAt();
            if (!partitions.contains(YearMonth.from(at.atZone(ZoneOffset.UTC)))) {
                missing = true;
            }
            min = min == null || at.isBefore(min) ? at : min;
            max = max == null || at.isAfter(max) ? at : max;
        }
        if (!missing) {
            return;
        }
        // committed on its own connection before the batch writes: a partition is never known
        // here before every writer can see it, and the parent's lock is held for an instant only
        try (Connection own = dataSource.getConnection();
                PreparedStatement ps =
                        own.prepareStatement(
                                "select ensure_usage_event_partitions(?::timestamptz, ?::timestamptz)")) {
            own.setAutoCommit(true);
            ps.setString(1, min.toString());
            ps.setString(2, max.toString());
            ps.execute();
        }
        for (YearMonth m = YearMonth.from(min.atZone(ZoneOffset.UTC));
                !m.isAfter(YearMonth.from(max.atZone(ZoneOffset.UTC)));
                m = m.plusMonths(1)) {
            partitions.add(m);
        }
    }

    /** Characters of COPY text sent to the server at a time. */
    private static final int COPY_SLICE = 64 * 1024;

    private static void send(CopyIn copy, StringBuilder rows) throws SQLException {
        if (rows.length() > 0) {
            byte[] bytes = rows.toString().getBytes(StandardCharsets.UTF_8);
            copy.writeToCopy(bytes, 0, bytes.length);
            rows.setLength(0);
        }
    }

    /** A JSON value built in {@code scratch}, then escaped into the COPY row. */
    private static void jsonField(
            StringBuilder rows, StringBuilder scratch, Consumer<StringBuilder> build) {
        scratch.setLength(0);
        build.accept(scratch);
        CopyText.text(rows, scratch);
    }

    /** One row of {@code usage_stage}: the event, its attribution (or null) and its source. */
    private static void stageRow(StringBuilder rows, StringBuilder json, int idx, Incoming in) {
        UsageEvent e = in.event();
        rows.append(idx);
        CopyText.tab(rows);
        CopyText.text(rows, e.platformId());
        CopyText.tab(rows);
        CopyText.text(rows, e.eventId());
        CopyText.tab(rows);
        rows.append(e.occurredAt());
        CopyText.tab(rows);
        CopyText.text(rows, e.modelRef());
        CopyText.tab(rows);
        CopyText.text(rows, e.customerType());
        CopyText.tab(rows);
        CopyText.text(rows, e.currency());
        CopyText.tab(rows);
        rows.append(e.revenue().toPlainString());
        CopyText.tab(rows);
        jsonField(rows, json, j -> CopyText.jsonNumbers(j, e.units(), false));
        CopyText.tab(rows);
        if (e.components().isEmpty()) {
            CopyText.nul(rows);
        } else {
            jsonField(rows, json, j -> componentsJson(j, e.components()));
        }
        CopyText.tab(rows);
        if (in.parts().isEmpty()) {
            CopyText.nul(rows);
        } else {
            jsonField(rows, json, j -> attributionJson(j, in.parts().get()));
        }
        CopyText.tab(rows);
        CopyText.text(rows, in.source());
        CopyText.end(rows);
    }

    /**
     * Stages {@code unique} with one COPY, then stores the events whose key is new; answers them.
     */
    private List<Incoming> insertEvents(Connection c, List<Incoming> unique, UUID batchId)
            throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(STAGE);
        }
        // streamed in slices: no batch-sized string on the heap
        CopyIn copy =
                c.unwrap(PGConnection.class).getCopyAPI().copyIn("copy usage_stage from stdin");
        try {
            StringBuilder rows = new StringBuilder(COPY_SLICE + 4096);
            StringBuilder json = new StringBuilder(256);
            for (int i = 0; i < unique.size(); i++) {
                stageRow(rows, json, i, unique.get(i));
                if (rows.length() >= COPY_SLICE) {
                    send(copy, rows);
                }
            }
            send(copy, rows);
            copy.endCopy();
        } finally {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        }
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

    /** Adds {@code rollup} to the roll-ups and records its deltas for {@code usage.attributed}. */
    public void applyRollup(Connection c, Map<RollupKey, RollupDelta> rollup, UUID batchId)
            throws SQLException {
        if (rollup.isEmpty()) {
            return;
        }
        int n = rollup.size();
        int width = 8 + STANDARD_UNITS.size();
        String[][] cols = new String[width][n];
        int i = 0;
        Map<String, List<AttributedDelta.Row>> byModel = new TreeMap<>();
        List<Map.Entry<RollupKey, RollupDelta>> sorted = new ArrayList<>(rollup.entrySet());
        sorted.sort(Map.Entry.comparingByKey(ROLLUP_ORDER));
        for (Map.Entry<RollupKey, RollupDelta> e : sorted) {
            RollupKey k = e.getKey();
            RollupDelta d = e.getValue();
            cols[0][i] = k.platformId();
            cols[1][i] = k.modelId();
            cols[2][i] = k.day().toString();
            cols[3][i] = k.customerType();
            cols[4][i] = k.currency();
            cols[5][i] = Long.toString(d.events());
            cols[6][i] = d.revenue().toPlainString();
            Map<String, BigDecimal> other = new TreeMap<>(d.units());
            for (int u = 0; u < STANDARD_UNITS.size(); u++) {
                BigDecimal q = other.remove(STANDARD_UNITS.get(u));
                cols[7 + u][i] = q == null ? "0" : q.toPlainString();
            }
            cols[width - 1][i] = json(other);
            i++;
            Map<String, String> units = new TreeMap<>();
            d.units().forEach((u, q) -> units.put(u, q.toPlainString()));
            byModel.computeIfAbsent(k.modelId(), x -> new ArrayList<>())
                    .add(
                            new AttributedDelta.Row(
                                    k.platformId(),
                                    k.day().toString(),
                                    k.customerType(),
                                    k.currency(),
                                    d.events(),
                                    d.revenue().toPlainString(),
                                    units));
        }
        try (PreparedStatement ps = c.prepareStatement(ROLLUP_UPSERT)) {
            for (int k = 0; k < width; k++) {
                ps.setArray(k + 1, c.createArrayOf("text", cols[k]));
            }
            ps.executeUpdate();
        }
        try (PreparedStatement ps =
                c.prepareStatement(
                        "insert into attributed_outbox (delta_id, model_id, payload, created_at) values (?, ?, ?, now())")) {
            for (Map.Entry<String, List<AttributedDelta.Row>> e : byModel.entrySet()) {
                String deltaId = batchId + "/" + e.getKey();
                ps.setString(1, deltaId);
                ps.setString(2, e.getKey());
                ps.setString(
                        3,
                        json(
                                new AttributedDelta(
                                        deltaId, batchId.toString(), e.getKey(), e.getValue())));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private void storePositions(Connection c, List<Position> positions) throws SQLException {
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
    public Map<String, Long> positions(String group, Set<String> topicPartitions)
            throws SQLException {
        Map<String, Long> out = new java.util.HashMap<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
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
                        "select platform_id, event_id, occurred_at, model_ref, customer_type, currency, revenue, units, components"
                                + " from usage_event where attribution is null"
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
                    components);
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
                        "update usage_event set attribution = ?::jsonb, attributed_at = now()"
                                + " where platform_id = ? and event_id = ? and occurred_at = ?::timestamptz and attribution is null")) {
            for (Incoming in : resolved) {
                UsageEvent e = in.event();
                StringBuilder attribution = new StringBuilder();
                attributionJson(attribution, in.parts().orElseThrow());
                ps.setString(1, attribution.toString());
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
     * The attribution column: {@code [{"modelId","weight","revenue","units"}]}, amounts and
     * quantities as exact decimal strings.
     */
    static void attributionJson(StringBuilder out, List<Attribution.Part> parts) {
        out.append('[');
        for (int i = 0; i < parts.size(); i++) {
            Attribution.Part p = parts.get(i);
            out.append(i == 0 ? "{\"modelId\":" : ",{\"modelId\":");
            CopyText.jsonString(out, p.modelId());
            out.append(",\"weight\":\"").append(p.weight().toPlainString());
            out.append("\",\"revenue\":\"").append(p.revenue().toPlainString());
            out.append("\",\"units\":");
            CopyText.jsonNumbers(out, p.units(), true);
            out.append('}');
        }
        out.append(']');
    }

    /** The components column: {@code [{"modelRef","weight"}]}, weights as JSON numbers. */
    static void componentsJson(StringBuilder out, List<UsageEvent.Component> components) {
        out.append('[');
        for (int i = 0; i < components.size(); i++) {
            UsageEvent.Component c = components.get(i);
            out.append(i == 0 ? "{\"modelRef\":" : ",{\"modelRef\":");
            CopyText.jsonString(out, c.modelRef());
            out.append(",\"weight\":").append(c.weight().toPlainString()).append('}');
        }
        out.append(']');
    }

    String json(Object o) {
        try {
            return mapper.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
