package dev.fairshare.usage.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fairshare.usage.domain.UsageViews.Money;
import dev.fairshare.usage.domain.UsageViews.StoredEvent;
import dev.fairshare.usage.domain.UsageViews.SummaryItem;
import dev.fairshare.usage.domain.UsageViews.Unattributed;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/** Read side of the usage store: summaries, unattributed usage and the audit drill-down. */
@ApplicationScoped
public class UsageQueries {
    private final AgroalDataSource dataSource;
    private final ObjectMapper mapper;

    public UsageQueries(AgroalDataSource dataSource, ObjectMapper mapper) {
        this.dataSource = dataSource;
        this.mapper = mapper;
    }

    /**
     * The roll-ups of {@code platformId} and {@code modelId} (each: all when null) from {@code
     * from} to {@code to} (inclusive, open when null), by platform, model and {@code groupBy}
     * period ({@code day} or {@code month}), with revenue per currency.
     */
    public List<SummaryItem> summary(
            String platformId, String modelId, LocalDate from, LocalDate to, String groupBy) {
        Map<String, SummaryAcc> items = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(summarySql(groupBy))) {
            bindOptional(ps, 1, platformId, modelId, day(from), day(to));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    addRow(rs, items);
                }
            }
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("summary query failed", e);
        }
        return items.values().stream().map(SummaryAcc::item).toList();
    }

    /** Sums per (platform, model, period, currency) of the roll-ups that the filters select. */
    private static String summarySql(String groupBy) {
        String period =
                groupBy.equals("month") ? "to_char(day, 'YYYY-MM')" : "to_char(day, 'YYYY-MM-DD')";
        return "select platform_id, model_id, "
                + period
                + " as period, currency, sum(events), sum(revenue), sum_units(other_units) filter (where other_units <> '{}'::jsonb), "
                + EventStore.STANDARD_UNITS.stream()
                        .map(u -> "sum(" + u + ")")
                        .collect(java.util.stream.Collectors.joining(", "))
                + " from usage_rollup_all where (?::text is null or platform_id = ?) and (?::text is null or model_id = ?)"
                + " and (?::date is null or day >= ?::date) and (?::date is null or day <= ?::date)"
                + " group by 1, 2, 3, 4 order by 1, 2, 3, 4";
    }

    /** Adds one currency's row to its (platform, model, period) item. */
    private void addRow(ResultSet rs, Map<String, SummaryAcc> items)
            throws SQLException, IOException {
        String key = rs.getString(1) + "\u0000" + rs.getString(2) + "\u0000" + rs.getString(3);
        SummaryAcc acc = items.computeIfAbsent(key, k -> new SummaryAcc());
        acc.platformId = rs.getString(1);
        acc.modelId = rs.getString(2);
        acc.period = rs.getString(3);
        acc.events += rs.getLong(5);
        acc.revenue.put(rs.getString(4), plain(rs.getBigDecimal(6)));
        addUnits(acc.units, rs.getString(7));
        for (int u = 0; u < EventStore.STANDARD_UNITS.size(); u++) {
            BigDecimal q = rs.getBigDecimal(8 + u);
            if (q.signum() != 0) {
                acc.units.merge(EventStore.STANDARD_UNITS.get(u), q, BigDecimal::add);
            }
        }
    }

    private static final class SummaryAcc {
        String platformId;
        String modelId;
        String period;
        long events;
        final Map<String, String> revenue = new TreeMap<>();
        final Map<String, BigDecimal> units = new TreeMap<>();

        SummaryItem item() {
            Map<String, String> plainUnits = new TreeMap<>();
            units.forEach((k, v) -> plainUnits.put(k, plain(v)));
            return new SummaryItem(
                    platformId,
                    modelId,
                    period,
                    events,
                    revenue.entrySet().stream()
                            .map(e -> new Money(e.getValue(), e.getKey()))
                            .toList(),
                    plainUnits);
        }
    }

    private void addUnits(Map<String, BigDecimal> into, String json) throws IOException {
        mapper.readTree(json)
                .fields()
                .forEachRemaining(
                        e -> into.merge(e.getKey(), e.getValue().decimalValue(), BigDecimal::add));
    }

    public List<Unattributed> unattributed(String platformId) {
        String sql =
                "select platform_id, model_ref, count(*), min(occurred_at), max(occurred_at) from usage_event"
                        + " where attribution is null and (?::text is null or platform_id = ?) group by 1, 2 order by 1, 2";
        List<Unattributed> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            bindOptional(ps, 1, platformId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(
                            new Unattributed(
                                    rs.getString(1),
                                    rs.getString(2),
                                    rs.getLong(3),
                                    rs.getTimestamp(4).toInstant().toString(),
                                    rs.getTimestamp(5).toInstant().toString()));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("unattributed query failed", e);
        }
        return out;
    }

    private static final String EVENT_COLUMNS =
            "platform_id, event_id, occurred_at, model_ref, customer_type, units, revenue, currency,"
                    + " subscriber_id, components, attribution, attributed_at, received_at, source, batch_id";

    public Optional<StoredEvent> event(String platformId, String eventId) {
        String sql =
                "select "
                        + EVENT_COLUMNS.replaceAll("(^|, )", "$1e.")
                        + " from event_key k join usage_event e on e.platform_id = k.platform_id and e.event_id = k.event_id"
                        + " and e.occurred_at = k.occurred_at where k.platform_id = ? and k.event_id = ?";
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, platformId);
            ps.setString(2, eventId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("event query failed", e);
        }
    }

    /** One page of {@code platformId}'s stored events, by occurredAt day range [from, to]. */
    public List<StoredEvent> events(
            String platformId, String modelId, LocalDate from, LocalDate to, int page, int size) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "select "
                                        + EVENT_COLUMNS
                                        + EVENTS_WHERE
                                        + " order by occurred_at, event_id limit ? offset ?")) {
            bindEventsWhere(ps, platformId, modelId, from, to);
            ps.setInt(8, size);
            ps.setLong(9, (long) page * size);
            List<StoredEvent> items = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    items.add(read(rs));
                }
            }
            return items;
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("events query failed", e);
        }
    }

    /** How many events {@link #events} pages through. */
    public long countEvents(String platformId, String modelId, LocalDate from, LocalDate to) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement count = c.prepareStatement("select count(*)" + EVENTS_WHERE)) {
            bindEventsWhere(count, platformId, modelId, from, to);
            try (ResultSet rs = count.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("events query failed", e);
        }
    }

    private static final String EVENTS_WHERE =
            " from usage_event where platform_id = ?"
                    + " and (?::text is null or attribution::jsonb @> jsonb_build_array(jsonb_build_object('modelId', ?::text)))"
                    + " and (?::date is null or occurred_at >= (?::date)::timestamp at time zone 'UTC')"
                    + " and (?::date is null or occurred_at < ((?::date) + 1)::timestamp at time zone 'UTC')";

    private static void bindEventsWhere(
            PreparedStatement s, String platformId, String modelId, LocalDate from, LocalDate to)
            throws SQLException {
        s.setString(1, platformId);
        bindOptional(s, 2, modelId, day(from), day(to));
    }

    /**
     * Binds each of {@code values} twice, from parameter {@code first} on: an optional filter is
     * written {@code (?::type is null or ... ?)}, null selecting all.
     */
    private static void bindOptional(PreparedStatement s, int first, String... values)
            throws SQLException {
        int i = first;
        for (String value : values) {
            s.setString(i++, value);
            s.setString(i++, value);
        }
    }

    private static String day(LocalDate day) {
        return day == null ? null : day.toString();
    }

    private StoredEvent read(ResultSet rs) throws SQLException, IOException {
        Map<String, String> units = new TreeMap<>();
        mapper.readTree(rs.getString("units"))
                .fields()
                .forEachRemaining(e -> units.put(e.getKey(), plain(e.getValue().decimalValue())));
        String comp = rs.getString("components");
        String attr = rs.getString("attribution");
        String revenue = plain(rs.getBigDecimal("revenue"));
        return new StoredEvent(
                rs.getString("platform_id"),
                rs.getString("event_id"),
                rs.getTimestamp("occurred_at").toInstant().toString(),
                rs.getString("model_ref"),
                rs.getString("customer_type"),
                units,
                new Money(revenue, rs.getString("currency")),
                rs.getString("subscriber_id"),
                comp == null ? null : mapper.readTree(comp),
                attr == null ? null : attribution(mapper.readTree(attr), revenue, units),
                rs.getTimestamp("attributed_at") == null
                        ? null
                        : rs.getTimestamp("attributed_at").toInstant().toString(),
                rs.getTimestamp("received_at").toInstant().toString(),
                rs.getString("source"),
                rs.getString("batch_id"));
    }

    /**
     * The stored attribution with a plain event's part completed: stored as {@code
     * [{"modelId","weight":"1"}]}, its revenue and units are the event's own.
     */
    private JsonNode attribution(JsonNode stored, String revenue, Map<String, String> units) {
        if (stored.size() == 1 && stored.get(0) instanceof ObjectNode part && !part.has("units")) {
            part.put("revenue", revenue);
            ObjectNode u = part.putObject("units");
            units.forEach(u::put);
        }
        return stored;
    }

    /** The ids among {@code eventIdsByPlatform} that are already stored, by platform. */
    public Map<String, Set<String>> storedEventIds(Map<String, List<String>> eventIdsByPlatform)
            throws SQLException {
        Map<String, Set<String>> stored = new HashMap<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "select event_id from event_key where platform_id = ? and event_id = any(?)")) {
            for (Map.Entry<String, List<String>> e : eventIdsByPlatform.entrySet()) {
                ps.setString(1, e.getKey());
                ps.setArray(2, c.createArrayOf("text", e.getValue().toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        stored.computeIfAbsent(e.getKey(), p -> new HashSet<>())
                                .add(rs.getString(1));
                    }
                }
            }
        }
        return stored;
    }

    static String plain(BigDecimal d) {
        BigDecimal s = d.stripTrailingZeros();
        return (s.scale() < 0 ? s.setScale(0) : s).toPlainString();
    }
}
