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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Settlement's usage roll-ups: applying deltas once, and reading a period's usage for the engine.
 */
@ApplicationScoped
public class RollupStore {
    private static final org.jboss.logging.Logger LOG =
            org.jboss.logging.Logger.getLogger(RollupStore.class);
    private final ObjectMapper mapper;
    private final StatementStore statements;

    public RollupStore(ObjectMapper mapper, StatementStore statements) {
        this.mapper = mapper;
        this.statements = statements;
    }

    /**
     * Applies the deltas not applied before, in {@code c}'s transaction: to the day and month
     * roll-ups, and, for days of a CLOSED period, to the late usage the next close settles. Waits
     * while a period is being closed, so that each delta is either in the usage a close reads or
     * late for it, never both or neither.
     */
    public int apply(Connection c, List<UsageDelta> deltas) throws SQLException {
        if (deltas.isEmpty()) {
            return 0;
        }
        try (java.sql.Statement s = c.createStatement()) {
            // conflicts with the lock a close holds (StatementStore.lockPeriods), not with itself
            s.execute("lock table period in share mode");
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
        // sorted by key: concurrent consumers then lock shared rows in the same order
        Map<String, UsageRow> days = new TreeMap<>();
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
                days.merge(key(row), row, RollupStore::add);
            }
        }
        if (days.isEmpty()) {
            return 0;
        }
        Set<YearMonth> closed = statements.closed(c);
        Map<String, UsageRow> months = new TreeMap<>();
        List<UsageRow> late = new ArrayList<>();
        for (UsageRow r : days.values()) {
            YearMonth period = YearMonth.from(r.day());
            UsageRow m = withDay(r, period.atDay(1));
            months.merge(key(m), m, RollupStore::add);
            if (closed.contains(period)) {
                late.add(r);
            }
        }
        write(c, DAY_UPSERT, days.values(), false);
        write(c, MONTH_UPSERT, months.values(), true);
        write(c, LATE_UPSERT, late, false);
        return days.size();
    }

    private static final String DAY_UPSERT =
            "insert into usage_rollup (platform_id, model_id, day, customer_type, currency, events, revenue, units)"
                    + " values (?, ?, ?::date, ?, ?, ?, ?, ?::jsonb) on conflict (platform_id, model_id, day, customer_type, currency)"
                    + " do update set events = usage_rollup.events + excluded.events, revenue = usage_rollup.revenue + excluded.revenue,"
                    + " units = add_units(usage_rollup.units, excluded.units)";
    private static final String MONTH_UPSERT =
            "insert into usage_rollup_month (platform_id, model_id, period, customer_type, currency, events, revenue, units)"
                    + " values (?, ?, ?, ?, ?, ?, ?, ?::jsonb) on conflict (period, platform_id, model_id, customer_type, currency)"
                    + " do update set events = usage_rollup_month.events + excluded.events,"
                    + " revenue = usage_rollup_month.revenue + excluded.revenue,"
                    + " units = add_units(usage_rollup_month.units, excluded.units)";
    private static final String LATE_UPSERT =
            "insert into late_usage (platform_id, model_id, day, customer_type, currency, events, revenue, units)"
                    + " values (?, ?, ?::date, ?, ?, ?, ?, ?::jsonb)"
                    + " on conflict (platform_id, model_id, day, customer_type, currency) where settled_in is null"
                    + " do update set events = late_usage.events + excluded.events, revenue = late_usage.revenue + excluded.revenue,"
                    + " units = add_units(late_usage.units, excluded.units)";

    private void write(
            Connection c, String sql, java.util.Collection<UsageRow> rows, boolean monthly)
            throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (UsageRow r : rows) {
                ps.setString(1, r.platformId());
                ps.setString(2, r.modelId());
                ps.setString(3, monthly ? YearMonth.from(r.day()).toString() : r.day().toString());
                ps.setString(4, r.customerType().name());
                ps.setString(5, r.currency());
                ps.setLong(6, r.events());
                ps.setBigDecimal(7, r.revenue());
                ps.setString(8, json(r.units()));
                ps.addBatch();
            }
            ps.executeBatch();
        }
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

    private static UsageRow withDay(UsageRow r, LocalDate day) {
        return new UsageRow(
                r.platformId(),
                r.modelId(),
                day,
                r.customerType(),
                r.currency(),
                r.events(),
                r.revenue(),
                r.units());
    }

    /**
     * A period's usage at the grain the engine rates it: one row per (platform, model, customer
     * type, currency) dated the period's first day, except for the (platform, model) pairs that
     * {@code needsDays} names (an agreement of theirs starts or ends inside the period), which come
     * day by day.
     */
    public List<UsageRow> periodUsage(
            Connection c,
            YearMonth period,
            java.util.function.BiPredicate<String, String> needsDays)
            throws SQLException {
        long started = System.nanoTime();
        List<UsageRow> out = new ArrayList<>();
        java.util.Set<List<String>> dayPairs = new java.util.LinkedHashSet<>();
        for (UsageRow r : monthUsage(c, period)) {
            if (needsDays.test(r.platformId(), r.modelId())) {
                dayPairs.add(List.of(r.platformId(), r.modelId()));
            } else {
                out.add(r);
            }
        }
        long monthly = System.nanoTime();
        if (!dayPairs.isEmpty()) {
            out.addAll(dayUsage(c, period, dayPairs));
        }
        LOG.debugf(
                "%s: monthly rows read in %d ms, %d pairs day by day in %d ms",
                period,
                (monthly - started) / 1_000_000,
                dayPairs.size(),
                (System.nanoTime() - monthly) / 1_000_000);
        return out;
    }

    /**
     * What {@link #periodUsage(Connection, YearMonth, java.util.function.BiPredicate)} answers,
     * from its two reads made apart (possibly at once, on two connections in one snapshot): {@code
     * months} as {@link #monthUsage} reads them and {@code days} as {@link #dayUsage} reads them
     * for any set of pairs that holds every pair {@code needsDays} names. Day rows of a pair with
     * no monthly row in the period are left out, as that method never asks for them.
     */
    public static List<UsageRow> periodUsage(
            List<UsageRow> months,
            List<UsageRow> days,
            java.util.function.BiPredicate<String, String> needsDays) {
        List<UsageRow> out = new ArrayList<>(months.size() + days.size());
        java.util.Set<List<String>> dayPairs = new HashSet<>();
        for (UsageRow r : months) {
            if (needsDays.test(r.platformId(), r.modelId())) {
                dayPairs.add(List.of(r.platformId(), r.modelId()));
            } else {
                out.add(r);
            }
        }
        for (UsageRow r : days) {
            if (dayPairs.contains(List.of(r.platformId(), r.modelId()))) {
                out.add(r);
            }
        }
        return out;
    }

    /**
     * The monthly roll-up rows of a period, every (platform, model) pair, dated the period's first
     * day.
     */
    public List<UsageRow> monthUsage(Connection c, YearMonth period) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "select platform_id, model_id, ?::date, customer_type, currency, events, revenue, jsonb_build_array(units)"
                                + " from usage_rollup_month where period = ?")) {
            ps.setString(1, period.atDay(1).toString());
            ps.setString(2, period.toString());
            return read(ps);
        }
    }

    /** The daily roll-up rows of a period's days for the given (platform, model) pairs. */
    public List<UsageRow> dayUsage(
            Connection c, YearMonth period, java.util.Collection<List<String>> pairs)
            throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "select r.platform_id, r.model_id, r.day, r.customer_type, r.currency, r.events, r.revenue,"
                                + " jsonb_build_array(r.units) from usage_rollup r"
                                + " join unnest(?::text[], ?::text[]) p (platform_id, model_id)"
                                + " on p.platform_id = r.platform_id and p.model_id = r.model_id"
                                + " where r.day >= ?::date and r.day < ?::date")) {
            ps.setArray(1, c.createArrayOf("text", pairs.stream().map(x -> x.get(0)).toArray()));
            ps.setArray(2, c.createArrayOf("text", pairs.stream().map(x -> x.get(1)).toArray()));
            ps.setString(3, period.atDay(1).toString());
            ps.setString(4, period.plusMonths(1).atDay(1).toString());
            return read(ps);
        }
    }

    /**
     * Exports the snapshot of {@code c}'s transaction (which must be REPEATABLE READ and stay open
     * until every importer has imported it) for {@link #importSnapshot}.
     */
    public String exportSnapshot(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select pg_export_snapshot()");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getString(1);
        }
    }

    /**
     * Starts a read-only REPEATABLE READ transaction on {@code c} (not in auto-commit mode, no
     * statement run yet in its transaction) that sees exactly the snapshot {@code snapshotId} of
     * another, still open, transaction: what that one saw when it exported it, without its own
     * writes.
     */
    public void importSnapshot(Connection c, String snapshotId) throws SQLException {
        // an id is hexadecimal digits and dashes; SET cannot take it as a parameter
        if (!snapshotId.matches("[0-9A-Fa-f-]+")) {
            throw new SQLException("not a snapshot id: " + snapshotId);
        }
        try (java.sql.Statement s = c.createStatement()) {
            s.execute("set transaction isolation level repeatable read, read only");
            s.execute("set transaction snapshot '" + snapshotId + "'");
        }
    }

    /** The usage of a period's days, day by day: all of it, or of the given platforms only. */
    public List<UsageRow> usage(Connection c, YearMonth period, java.util.Set<String> platforms)
            throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "select platform_id, model_id, day, customer_type, currency, events, revenue, jsonb_build_array(units)"
                                + " from usage_rollup where day >= ?::date and day < ?::date"
                                + (platforms == null
                                        ? ""
                                        : " and platform_id = any (?::text[])"))) {
            ps.setString(1, period.atDay(1).toString());
            ps.setString(2, period.plusMonths(1).atDay(1).toString());
            if (platforms != null) {
                ps.setArray(3, c.createArrayOf("text", platforms.toArray()));
            }
            return read(ps);
        }
    }

    /** All usage of a period's days, day by day. */
    public List<UsageRow> usage(Connection c, YearMonth period) throws SQLException {
        return usage(c, period, null);
    }

    /** Usage of the closed period {@code period} that no statement has settled yet. */
    public List<UsageRow> pendingLate(Connection c, YearMonth period) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "select platform_id, model_id, day, customer_type, currency, events, revenue, jsonb_build_array(units)"
                                + " from late_usage where settled_in is null and day >= ?::date and day < ?::date")) {
            ps.setString(1, period.atDay(1).toString());
            ps.setString(2, period.plusMonths(1).atDay(1).toString());
            return read(ps);
        }
    }

    /** Records that {@code period}'s statement settled all pending late usage of earlier days. */
    public void settleLate(Connection c, YearMonth period) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "update late_usage set settled_in = ? where settled_in is null and day < ?::date")) {
            ps.setString(1, period.toString());
            ps.setString(2, period.atDay(1).toString());
            ps.executeUpdate();
        }
    }

    private List<UsageRow> read(PreparedStatement ps) throws SQLException {
        List<UsageRow> out = new ArrayList<>();
        ps.setFetchSize(10_000);
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
        return out;
    }

    /** The months that have usage, oldest first. */
    public List<YearMonth> periodsWithUsage(Connection c) throws SQLException {
        List<YearMonth> out = new ArrayList<>();
        try (PreparedStatement ps =
                        c.prepareStatement(
                                "select distinct period from usage_rollup_month order by 1");
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
