package dev.fairshare.settlement.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fairshare.settlement.engine.CustomerType;
import dev.fairshare.settlement.engine.UsageRow;
import dev.fairshare.settlement.kafka.UsageDelta;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Settlement's usage roll-ups: applying deltas once, and reading a period's usage for the engine.
 */
@ApplicationScoped
public class RollupStore {
    private final ObjectMapper mapper;

    public RollupStore(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** Applies the deltas not applied before, in {@code c}'s transaction. */
    public int apply(Connection c, List<UsageDelta> deltas) throws SQLException {
        if (deltas.isEmpty()) {
            return 0;
        }
        Set<String> fresh = new HashSet<>();
        try (PreparedStatement ps =
                c.prepareStatement(
                        "insert into applied_delta (delta_id, applied_at) select unnest(?::text[]), now()"
                                + " on conflict do nothing returning delta_id")) {
            ps.setArray(
                    1, c.createArrayOf("text", deltas.stream().map(UsageDelta::deltaId).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    fresh.add(rs.getString(1));
                }
            }
        }
        Map<String, UsageRow> sums = new LinkedHashMap<>();
        for (UsageDelta d : deltas) {
            if (!fresh.remove(d.deltaId())) {
                continue;
            }
            for (UsageDelta.Row r : d.rows()) {
                Map<String, BigDecimal> units = new TreeMap<>();
                r.units().forEach((k, v) -> units.put(k, new BigDecimal(v)));
                UsageRow row =
                        new UsageRow(
                                r.platformId(),
                                d.modelId(),
                                LocalDate.parse(r.day()),
                                CustomerType.valueOf(r.customerType()),
                                r.currency(),
                                r.events(),
                                new BigDecimal(r.revenue()),
                                units);
                sums.merge(key(row), row, RollupStore::add);
            }
        }
        upsert(c, "usage_rollup", null, sums.values());
        return sums.size();
    }

    /**
     * The roll-up grain of a row, as one string: (platform, model, day, customer type, currency).
     */
    public static String key(UsageRow r) {
        return r.platformId()
                + "\u0000"
                + r.modelId()
                + "\u0000"
                + r.day()
                + "\u0000"
                + r.customerType()
                + "\u0000"
                + r.currency();
    }

    static UsageRow add(UsageRow a, UsageRow b) {
        Map<String, BigDecimal> units = new TreeMap<>(a.units());
        b.units().forEach((k, v) -> units.merge(k, v, BigDecimal::add));
        return new UsageRow(
                a.platformId(),
                a.modelId(),
                a.day(),
                a.customerType(),
                a.currency(),
                a.events() + b.events(),
                a.revenue().add(b.revenue()),
                units);
    }

    /**
     * Adds rows to {@code usage_rollup}, or inserts them into {@code settled_usage} for a period.
     */
    public void upsert(
            Connection c, String table, YearMonth settledIn, java.util.Collection<UsageRow> rows)
            throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        String sql =
                table.equals("usage_rollup")
                        ? "insert into usage_rollup (platform_id, model_id, day, customer_type, currency, events, revenue, units)"
                                + " values (?, ?, ?::date, ?, ?, ?, ?, ?::jsonb) on conflict (platform_id, model_id, day, customer_type, currency)"
                                + " do update set events = usage_rollup.events + excluded.events, revenue = usage_rollup.revenue + excluded.revenue,"
                                + " units = add_units(usage_rollup.units, excluded.units)"
                        : "insert into settled_usage (platform_id, model_id, day, customer_type, currency, events, revenue, units, settled_in)"
                                + " values (?, ?, ?::date, ?, ?, ?, ?, ?::jsonb, ?)";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (UsageRow r : rows) {
                ps.setString(1, r.platformId());
                ps.setString(2, r.modelId());
                ps.setString(3, r.day().toString());
                ps.setString(4, r.customerType().name());
                ps.setString(5, r.currency());
                ps.setLong(6, r.events());
                ps.setBigDecimal(7, r.revenue());
                ps.setString(8, json(r.units()));
                if (settledIn != null) {
                    ps.setString(9, settledIn.toString());
                }
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /**
     * Copies the period's roll-ups, as this transaction sees them, into what its statement settled.
     */
    public void snapshot(Connection c, YearMonth period) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "insert into settled_usage (settled_in, platform_id, model_id, day, customer_type, currency, events, revenue, units)"
                                + " select ?, platform_id, model_id, day, customer_type, currency, events, revenue, units"
                                + " from usage_rollup where day >= ?::date and day < ?::date")) {
            ps.setString(1, period.toString());
            ps.setString(2, period.atDay(1).toString());
            ps.setString(3, period.plusMonths(1).atDay(1).toString());
            ps.executeUpdate();
        }
    }

    /**
     * The usage of a period's days: all of it ({@code usage_rollup}), or what statements settled.
     */
    public List<UsageRow> usage(Connection c, YearMonth period, boolean settledOnly)
            throws SQLException {
        String sql =
                settledOnly
                        ? "select platform_id, model_id, day, customer_type, currency, sum(events), sum(revenue), jsonb_agg(units)"
                                + " from settled_usage where day >= ?::date and day < ?::date group by 1, 2, 3, 4, 5"
                        : "select platform_id, model_id, day, customer_type, currency, events, revenue, jsonb_build_array(units)"
                                + " from usage_rollup where day >= ?::date and day < ?::date";
        List<UsageRow> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, period.atDay(1).toString());
            ps.setString(2, period.plusMonths(1).atDay(1).toString());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Map<String, BigDecimal> units = new TreeMap<>();
                    try {
                        for (var u : mapper.readTree(rs.getString(8))) {
                            u.fields()
                                    .forEachRemaining(
                                            e ->
                                                    units.merge(
                                                            e.getKey(),
                                                            e.getValue().decimalValue(),
                                                            BigDecimal::add));
                        }
                    } catch (JsonProcessingException e) {
                        throw new SQLException("unreadable units", e);
                    }
                    out.add(
                            new UsageRow(
                                    rs.getString(1),
                                    rs.getString(2),
                                    rs.getObject(3, LocalDate.class),
                                    CustomerType.valueOf(rs.getString(4)),
                                    rs.getString(5),
                                    rs.getLong(6),
                                    rs.getBigDecimal(7),
                                    units));
                }
            }
        }
        return out;
    }

    /** The months that have usage, oldest first. */
    public List<YearMonth> periodsWithUsage(Connection c) throws SQLException {
        List<YearMonth> out = new ArrayList<>();
        try (PreparedStatement ps =
                        c.prepareStatement(
                                "select distinct to_char(date_trunc('month', day), 'YYYY-MM') from usage_rollup order by 1");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(YearMonth.parse(rs.getString(1)));
            }
        }
        return out;
    }

    private String json(Map<String, BigDecimal> units) {
        try {
            return mapper.writeValueAsString(units);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
