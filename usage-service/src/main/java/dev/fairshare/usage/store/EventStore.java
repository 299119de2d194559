package dev.fairshare.usage.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fairshare.usage.attribution.Attribution;
import dev.fairshare.usage.ingest.UsageEvent;
import dev.fairshare.usage.kafka.AttributedDelta;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The hot path's writes, in plain JDBC batches: raw events once per (platform, eventId), the
 * roll-ups of only the new ones, their {@code usage.attributed} deltas in the outbox, and the
 * consumer offsets — all in the caller's transaction.
 */
@ApplicationScoped
public class EventStore {
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

    /**
     * Forgets which monthly partitions exist, after a transaction that may have created some
     * failed.
     */
    public void forgetPartitions() {
        partitions.clear();
    }

    /** Writes one batch in {@code c}'s transaction; the caller commits. */
    public Written write(Connection c, List<Incoming> batch, List<Position> positions)
            throws SQLException {
        UUID batchId = UUID.randomUUID();
        Map<String, Incoming> unique = new LinkedHashMap<>();
        for (Incoming in : batch) {
            unique.putIfAbsent(in.event().platformId() + "\u0000" + in.event().eventId(), in);
        }
        List<Incoming> fresh = insertKeys(c, unique);
        if (!fresh.isEmpty()) {
            ensurePartitions(c, fresh);
            insertEvents(c, fresh, batchId);
            Map<RollupKey, RollupDelta> rollup = new TreeMap<>(ROLLUP_ORDER);
            for (Incoming in : fresh) {
                in.parts().ifPresent(parts -> addToRollup(rollup, in.event(), parts));
            }
            applyRollup(c, rollup, batchId);
        }
        storePositions(c, positions);
        int unattributed = (int) fresh.stream().filter(i -> i.parts().isEmpty()).count();
        return new Written(fresh.size(), batch.size() - fresh.size(), unattributed);
    }

    static final java.util.Comparator<RollupKey> ROLLUP_ORDER =
            java.util.Comparator.comparing(RollupKey::platformId)
                    .thenComparing(RollupKey::modelId)
                    .thenComparing(RollupKey::day)
                    .thenComparing(RollupKey::customerType)
                    .thenComparing(RollupKey::currency);

    static void addToRollup(
            Map<RollupKey, RollupDelta> rollup, UsageEvent e, List<Attribution.Part> parts) {
        for (Attribution.Part p : parts) {
            RollupKey k =
                    new RollupKey(
                            e.platformId(),
                            p.modelId(),
                            e.occurredAt().atZone(ZoneOffset.UTC).toLocalDate(),
                            e.customerType(),
                            e.currency());
            rollup.computeIfAbsent(k, x -> new RollupDelta()).add(p.revenue(), p.units());
        }
    }

    private List<Incoming> insertKeys(Connection c, Map<String, Incoming> unique)
            throws SQLException {
        int n = unique.size();
        String[] platform = new String[n];
        String[] event = new String[n];
        String[] at = new String[n];
        int i = 0;
        for (Incoming in : unique.values()) {
            platform[i] = in.event().platformId();
            event[i] = in.event().eventId();
            at[i] = in.event().occurredAt().toString();
            i++;
        }
        Set<String> inserted = new HashSet<>();
        try (PreparedStatement ps =
                c.prepareStatement(
                        "insert into event_key (platform_id, event_id, occurred_at)"
                                + " select * from unnest(?::text[], ?::text[], ?::timestamptz[])"
                                + " on conflict do nothing returning platform_id, event_id")) {
            ps.setArray(1, c.createArrayOf("text", platform));
            ps.setArray(2, c.createArrayOf("text", event));
            ps.setArray(3, c.createArrayOf("text", at));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    inserted.add(rs.getString(1) + "\u0000" + rs.getString(2));
                }
            }
        }
        List<Incoming> fresh = new ArrayList<>(inserted.size());
        unique.forEach(
                (k, v) -> {
                    if (inserted.contains(k)) {
                        fresh.add(v);
                    }
                });
        return fresh;
    }

    private void ensurePartitions(Connection c, List<Incoming> fresh) throws SQLException {
        Instant min = null;
        Instant max = null;
        boolean missing = false;
        for (Incoming in : fresh) {
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
        try (PreparedStatement ps =
                c.prepareStatement(
                        "select ensure_usage_event_partitions(?::timestamptz, ?::timestamptz)")) {
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

    private void insertEvents(Connection c, List<Incoming> fresh, UUID batchId)
            throws SQLException {
        int n = fresh.size();
        String[][] cols = new String[11][n];
        for (int i = 0; i < n; i++) {
            Incoming in = fresh.get(i);
            UsageEvent e = in.event();
            cols[0][i] = e.platformId();
            cols[1][i] = e.eventId();
            cols[2][i] = e.occurredAt().toString();
            cols[3][i] = e.modelRef();
            cols[4][i] = e.customerType();
            cols[5][i] = e.currency();
            cols[6][i] = e.revenue().toPlainString();
            cols[7][i] = json(e.units());
            cols[8][i] = e.components().isEmpty() ? null : json(e.components());
            cols[9][i] = in.parts().map(p -> json(attributionJson(p))).orElse(null);
            cols[10][i] = in.source();
        }
        try (PreparedStatement ps =
                c.prepareStatement(
                        "insert into usage_event (platform_id, event_id, occurred_at, model_ref, customer_type, currency,"
                                + " revenue, units, components, attribution, attributed_at, batch_id, source, received_at)"
                                + " select p, e, o, m, ct, cur, r, u, comp, a, case when a is null then null else now() end, ?::uuid, s, now()"
                                + " from unnest(?::text[], ?::text[], ?::timestamptz[], ?::text[], ?::text[], ?::text[],"
                                + " ?::numeric[], ?::jsonb[], ?::jsonb[], ?::jsonb[], ?::text[]) as t(p, e, o, m, ct, cur, r, u, comp, a, s)")) {
            ps.setString(1, batchId.toString());
            for (int k = 0; k < 11; k++) {
                ps.setArray(k + 2, c.createArrayOf("text", cols[k]));
            }
            ps.executeUpdate();
        }
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
        for (Map.Entry<RollupKey, RollupDelta> e : rollup.entrySet()) {
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
        Map<RollupKey, RollupDelta> rollup = new TreeMap<>(ROLLUP_ORDER);
        int n = 0;
        try (PreparedStatement ps =
                c.prepareStatement(
                        "update usage_event set attribution = ?::jsonb, attributed_at = now()"
                                + " where platform_id = ? and event_id = ? and occurred_at = ?::timestamptz and attribution is null")) {
            for (Incoming in : resolved) {
                UsageEvent e = in.event();
                ps.setString(1, json(attributionJson(in.parts().orElseThrow())));
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

    static List<Map<String, Object>> attributionJson(List<Attribution.Part> parts) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Attribution.Part p : parts) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("modelId", p.modelId());
            m.put("weight", p.weight().toPlainString());
            m.put("revenue", p.revenue().toPlainString());
            Map<String, String> units = new TreeMap<>();
            p.units().forEach((k, v) -> units.put(k, v.toPlainString()));
            m.put("units", units);
            out.add(m);
        }
        return out;
    }

    String json(Object o) {
        try {
            return mapper.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
