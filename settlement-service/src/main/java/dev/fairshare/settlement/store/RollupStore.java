package dev.fairshare.settlement.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fairshare.settlement.engine.CustomerType;
import dev.fairshare.settlement.engine.PooledUsage;
import dev.fairshare.settlement.engine.UsageRow;
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
        waitForAnyClose(c);
        Grains grains = grains(deltas, markApplied(c, deltas));
        if (grains.isEmpty()) {
            return 0;
        }
        Set<YearMonth> closed = statements.closed(c);
        writePooledUsage(c, grains.pooled().values(), closed);
        writeDayUsage(c, grains.days().values(), closed);
        return grains.days().size() + grains.pooled().size();
    }

    /** Waits while a period is being closed, and keeps any close waiting until commit. */
    private static void waitForAnyClose(Connection c) throws SQLException {
        try (java.sql.Statement s = c.createStatement()) {
            // conflicts with the lock a close holds (StatementStore.lockPeriods), not with itself
            s.execute("lock table period in share mode");
        }
    }

    /** Records the deltas as applied and answers the ids of those not applied before. */
    private static Set<String> markApplied(Connection c, List<UsageDelta> deltas)
            throws SQLException {
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
        return fresh;
    }

    /** The rows of fresh deltas summed per grain, by key: day usage and pooled usage. */
    private record Grains(Map<String, UsageRow> days, Map<String, Pooled> pooled) {
        boolean isEmpty() {
            return days.isEmpty() && pooled.isEmpty();
        }
    }

    /**
     * Sums the rows of the deltas whose id is in {@code fresh}, each id once (it is taken out of
     * {@code fresh} when used): a row with a subscriber as pooled usage, any other as day usage.
     */
    private static Grains grains(List<UsageDelta> deltas, Set<String> fresh) {
        // sorted by key: concurrent consumers then lock shared rows in the same order
        Map<String, UsageRow> days = new TreeMap<>();
        Map<String, Pooled> pooled = new TreeMap<>();
        for (UsageDelta d : deltas) {
            if (!fresh.remove(d.deltaId())) {
                continue;
            }
            for (UsageDelta.Row r : d.rows()) {
                Map<String, BigDecimal> units = decimalUnits(r);
                if (r.subscriberId() != null) {
                    Pooled row = pooledRow(d, r, units);
                    pooled.merge(row.key(), row, Pooled::plus);
                    continue;
                }
                UsageRow row = dayRow(d, r, units);
                days.merge(key(row), row, RollupStore::add);
            }
        }
        return new Grains(days, pooled);
    }

    private static Pooled pooledRow(UsageDelta d, UsageDelta.Row r, Map<String, BigDecimal> units) {
        return new Pooled(
                new PooledUsage(
                        r.platformId(),
                        d.modelId(),
                        r.subscriberId(),
                        YearMonth.from(LocalDate.parse(r.day())),
                        CustomerType.valueOf(r.customerType()),
                        r.events(),
                        units),
                r.currency());
    }

    private static UsageRow dayRow(UsageDelta d, UsageDelta.Row r, Map<String, BigDecimal> units) {
        return new UsageRow(
                r.platformId(),
                d.modelId(),
                LocalDate.parse(r.day()),
                CustomerType.valueOf(r.customerType()),
                r.currency(),
                r.events(),
                new BigDecimal(r.revenue()),
                units);
    }

    /** A row's units, as decimals. */
    private static Map<String, BigDecimal> decimalUnits(UsageDelta.Row r) {
        Map<String, BigDecimal> units = new TreeMap<>();
        r.units().forEach((k, v) -> units.put(k, new BigDecimal(v)));
        return units;
    }

    /** Adds pooled usage to its period, and also to late pooled usage when the period is closed. */
    private void writePooledUsage(
            Connection c, java.util.Collection<Pooled> pooled, Set<YearMonth> closed)
            throws SQLException {
        writePooled(c, POOLED_UPSERT, pooled);
        writePooled(
                c,
                LATE_POOLED_UPSERT,
                pooled.stream().filter(p -> closed.contains(p.usage().period())).toList());
    }

    /**
     * Adds day usage to the day and month roll-ups, and also to late usage when its period is
     * closed.
     */
    private void writeDayUsage(
            Connection c, java.util.Collection<UsageRow> days, Set<YearMonth> closed)
            throws SQLException {
        Map<String, UsageRow> months = new TreeMap<>();
        List<UsageRow> late = new ArrayList<>();
        for (UsageRow r : days) {
            YearMonth period = YearMonth.from(r.day());
            UsageRow m = withDay(r, period.atDay(1));
            months.merge(key(m), m, RollupStore::add);
            if (closed.contains(period)) {
                late.add(r);
            }
        }
        write(c, DAY_UPSERT, days, false);
        write(c, MONTH_UPSERT, months.values(), true);
        write(c, LATE_UPSERT, late, false);
    }

    /** Pooled usage as stored: with the revenue currency of its events, which pools ignore. */
    record Pooled(PooledUsage usage, String currency) {
        String key() {
            return usage.period()
                    + "\u0000"
                    + usage.platformId()
                    + "\u0000"
                    + usage.modelId()
                    + "\u0000"
                    + usage.subscriberId()
                    + "\u0000"
                    + usage.customerType()
                    + "\u0000"
                    + currency;
        }

        Pooled plus(Pooled other) {
            return new Pooled(add(usage, other.usage, 1), currency);
        }
    }

    private static final String POOLED_COLUMNS =
            " (period, platform_id, model_id, subscriber_id, customer_type, currency, events, units)"
                    + " values (?, ?, ?, ?, ?, ?, ?, ?::jsonb)";
    private static final String POOLED_UPSERT =
            "insert into pooled_usage"
                    + POOLED_COLUMNS
                    + " on conflict (period, platform_id, model_id, subscriber_id, customer_type, currency)"
                    + " do update set events = pooled_usage.events + excluded.events,"
                    + " units = add_units(pooled_usage.units, excluded.units)";
    private static final String LATE_POOLED_UPSERT =
            "insert into late_pooled_usage"
                    + POOLED_COLUMNS
                    + " on conflict (period, platform_id, model_id, subscriber_id, customer_type, currency)"
                    + " where settled_in is null"
                    + " do update set events = late_pooled_usage.events + excluded.events,"
                    + " units = add_units(late_pooled_usage.units, excluded.units)";

    private void writePooled(Connection c, String sql, java.util.Collection<Pooled> rows)
            throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (Pooled p : rows) {
                PooledUsage u = p.usage();
                ps.setString(1, u.period().toString());
                ps.setString(2, u.platformId());
                ps.setString(3, u.modelId());
                ps.setString(4, u.subscriberId());
                ps.setString(5, u.customerType().name());
                ps.setString(6, p.currency());
                ps.setLong(7, u.events());
                ps.setString(8, json(u.units()));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** {@code a + sign × b}, for pooled usage of the same grain. */
    public static PooledUsage add(PooledUsage a, PooledUsage b, int sign) {
        Map<String, BigDecimal> units = new TreeMap<>(a.units());
        BigDecimal factor = BigDecimal.valueOf(sign);
        b.units().forEach((k, v) -> units.merge(k, v.multiply(factor), BigDecimal::add));
        return new PooledUsage(
                a.platformId(),
                a.modelId(),
                a.subscriberId(),
                a.period(),
                a.customerType(),
                a.events() + sign * b.events(),
                units);
    }

    /**
     * The pooled usage of a period, per platform, model, subscriber and customer type (all
     * currencies together), of the given platforms only when {@code platforms} is not null.
     */
    public List<PooledUsage> pooledUsage(
            Connection c, YearMonth period, java.util.Set<String> platforms) throws SQLException {
        return readPooled(c, "pooled_usage", "", period, platforms);
    }

    /** Pooled usage of the closed period {@code period} that no statement has settled yet. */
    public List<PooledUsage> pendingLatePooled(Connection c, YearMonth period) throws SQLException {
        return readPooled(c, "late_pooled_usage", " and settled_in is null", period, null);
    }

    private List<PooledUsage> readPooled(
            Connection c,
            String table,
            String condition,
            YearMonth period,
            java.util.Set<String> platforms)
            throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "select platform_id, model_id, subscriber_id, customer_type, events,"
                                + " jsonb_build_array(units) from "
                                + table
                                + " where period = ?"
                                + condition
                                + (platforms == null
                                        ? ""
                                        : " and platform_id = any (?::text[])"))) {
            ps.setString(1, period.toString());
            if (platforms != null) {
                ps.setArray(2, c.createArrayOf("text", platforms.toArray()));
            }
            ps.setFetchSize(10_000);
            // the rows of one grain in several revenue currencies are summed here: pools ignore
            // the currency of pooled usage (its revenue is zero), and SQL's jsonb sums are slow
            Map<List<Object>, PooledUsage> out = new java.util.LinkedHashMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    PooledUsage u =
                            new PooledUsage(
                                    rs.getString(1),
                                    rs.getString(2),
                                    rs.getString(3),
                                    period,
                                    CustomerType.valueOf(rs.getString(4)),
                                    rs.getLong(5),
                                    units(rs.getString(6)));
                    out.merge(grain(u), u, (a, b) -> add(a, b, 1));
                }
            }
            return new ArrayList<>(out.values());
        }
    }

    /**
     * What {@code now} has beyond {@code settled}, per platform, model, subscriber and customer
     * type.
     */
    public static List<PooledUsage> pooledDifference(
            List<PooledUsage> now, List<PooledUsage> settled) {
        Map<List<Object>, PooledUsage> before = new java.util.HashMap<>();
        for (PooledUsage s : settled) {
            before.put(grain(s), s);
        }
        List<PooledUsage> out = new ArrayList<>();
        for (PooledUsage n : now) {
            PooledUsage b = before.get(grain(n));
            PooledUsage d = b == null ? n : add(n, b, -1);
            boolean zero =
                    d.events() == 0 && d.units().values().stream().allMatch(v -> v.signum() == 0);
            if (!zero) {
                out.add(d);
            }
        }
        return out;
    }

    private static List<Object> grain(PooledUsage u) {
        return List.of(u.platformId(), u.modelId(), u.subscriberId(), u.customerType());
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
        return rows(
                c,
                "select platform_id, model_id, ?::date, customer_type, currency, events, revenue, jsonb_build_array(units)"
                        + " from usage_rollup_month where period = ?",
                ps -> {
                    ps.setString(1, period.atDay(1).toString());
                    ps.setString(2, period.toString());
                });
    }

    /** The daily roll-up rows of a period's days for the given (platform, model) pairs. */
    public List<UsageRow> dayUsage(
            Connection c, YearMonth period, java.util.Collection<List<String>> pairs)
            throws SQLException {
        Object[] platforms = pairs.stream().map(x -> x.get(0)).toArray();
        Object[] models = pairs.stream().map(x -> x.get(1)).toArray();
        return rows(
                c,
                "select r.platform_id, r.model_id, r.day, r.customer_type, r.currency, r.events, r.revenue,"
                        + " jsonb_build_array(r.units) from usage_rollup r"
                        + " join unnest(?::text[], ?::text[]) p (platform_id, model_id)"
                        + " on p.platform_id = r.platform_id and p.model_id = r.model_id"
                        + " where r.day >= ?::date and r.day < ?::date",
                ps -> {
                    ps.setArray(1, c.createArrayOf("text", platforms));
                    ps.setArray(2, c.createArrayOf("text", models));
                    bindDays(ps, 3, period);
                });
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
        return rows(
                c,
                "select platform_id, model_id, day, customer_type, currency, events, revenue, jsonb_build_array(units)"
                        + " from usage_rollup where day >= ?::date and day < ?::date"
                        + (platforms == null ? "" : " and platform_id = any (?::text[])"),
                ps -> {
                    bindDays(ps, 1, period);
                    if (platforms != null) {
                        ps.setArray(3, c.createArrayOf("text", platforms.toArray()));
                    }
                });
    }

    /** All usage of a period's days, day by day. */
    public List<UsageRow> usage(Connection c, YearMonth period) throws SQLException {
        return usage(c, period, null);
    }

    /** Usage of the closed period {@code period} that no statement has settled yet. */
    public List<UsageRow> pendingLate(Connection c, YearMonth period) throws SQLException {
        return rows(
                c,
                "select platform_id, model_id, day, customer_type, currency, events, revenue, jsonb_build_array(units)"
                        + " from late_usage where settled_in is null and day >= ?::date and day < ?::date",
                ps -> bindDays(ps, 1, period));
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
        try (PreparedStatement ps =
                c.prepareStatement(
                        "update late_pooled_usage set settled_in = ? where settled_in is null and period < ?")) {
            ps.setString(1, period.toString());
            ps.setString(2, period.toString());
            ps.executeUpdate();
        }
    }

    /** What sets a prepared query's parameters. */
    @FunctionalInterface
    private interface Parameters {
        void set(PreparedStatement ps) throws SQLException;
    }

    /** The usage rows that {@code sql} answers (in the columns {@link #read} takes). */
    private List<UsageRow> rows(Connection c, String sql, Parameters parameters)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            parameters.set(ps);
            return read(ps);
        }
    }

    /**
     * Sets parameters {@code first} and {@code first + 1} to the first day of {@code period} and
     * the first day after it: the period's days, as a half-open range of dates.
     */
    private static void bindDays(PreparedStatement ps, int first, YearMonth period)
            throws SQLException {
        ps.setString(first, period.atDay(1).toString());
        ps.setString(first + 1, period.plusMonths(1).atDay(1).toString());
    }

    private List<UsageRow> read(PreparedStatement ps) throws SQLException {
        List<UsageRow> out = new ArrayList<>();
        ps.setFetchSize(10_000);
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Map<String, BigDecimal> units = units(rs.getString(8));
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

    /** Units read from a JSON array of unit objects, summed. */
    private Map<String, BigDecimal> units(String jsonArray) throws SQLException {
        Map<String, BigDecimal> units = new TreeMap<>();
        try {
            for (var u : mapper.readTree(jsonArray)) {
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
        return units;
    }

    /** The months that have usage, oldest first. */
    public List<YearMonth> periodsWithUsage(Connection c) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "select period from usage_rollup_month union select period from pooled_usage order by 1")) {
            return Rows.list(ps, rs -> YearMonth.parse(rs.getString(1)));
        }
    }

    private String json(Map<String, BigDecimal> units) {
        try {
            return mapper.writeValueAsString(units);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
