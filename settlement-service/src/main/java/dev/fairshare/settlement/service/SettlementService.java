package dev.fairshare.settlement.service;

import dev.fairshare.settlement.api.ProblemException;
import dev.fairshare.settlement.config.SettlementConfig;
import dev.fairshare.settlement.engine.Agreement;
import dev.fairshare.settlement.engine.Coverage;
import dev.fairshare.settlement.engine.JournalEntry;
import dev.fairshare.settlement.engine.LateUsage;
import dev.fairshare.settlement.engine.Ledger;
import dev.fairshare.settlement.engine.ModelInfo;
import dev.fairshare.settlement.engine.SettlementEngine;
import dev.fairshare.settlement.engine.StatementLine;
import dev.fairshare.settlement.engine.UncoveredUsage;
import dev.fairshare.settlement.engine.UsageRow;
import dev.fairshare.settlement.registry.RegistryReplica;
import dev.fairshare.settlement.store.LedgerStore;
import dev.fairshare.settlement.store.RollupStore;
import dev.fairshare.settlement.store.StatementStore;
import io.agroal.api.AgroalDataSource;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.function.BiPredicate;
import java.util.function.Predicate;

/**
 * Periods and statements: an OPEN period's statement is computed on demand from the usage so far
 * (the accrual); closing computes it once more, stores it, and never changes it again. Usage that
 * arrives later for a closed period is settled by the next close as LATE_ADJUSTMENT lines.
 */
@ApplicationScoped
public class SettlementService {
    private static final org.jboss.logging.Logger LOG =
            org.jboss.logging.Logger.getLogger(SettlementService.class);
    public static final String OPEN = "OPEN";
    public static final String CLOSED = "CLOSED";

    private final AgroalDataSource dataSource;
    private final RollupStore rollups;
    private final StatementStore statements;
    private final LedgerStore ledger;
    private final RegistryReplica registry;
    private final SettlementConfig config;
    private final Clock clock;
    // reads a close's daily roll-ups on a second connection while the close's own reads the rest
    private final ExecutorService readers;
    // rates the platforms of a statement side by side, a thread per core
    private final ExecutorService raters;

    public SettlementService(
            AgroalDataSource dataSource,
            RollupStore rollups,
            StatementStore statements,
            LedgerStore ledger,
            RegistryReplica registry,
            SettlementConfig config) {
        this.dataSource = dataSource;
        this.rollups = rollups;
        this.statements = statements;
        this.ledger = ledger;
        this.registry = registry;
        this.config = config;
        this.clock = Clock.systemUTC();
        this.readers = Executors.newCachedThreadPool(daemons("close-reader"));
        this.raters =
                Executors.newFixedThreadPool(
                        Runtime.getRuntime().availableProcessors(), daemons("statement-rater"));
    }

    private static ThreadFactory daemons(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    @PreDestroy
    void stop() {
        readers.shutdownNow();
        raters.shutdownNow();
    }

    /** A statement: its lines and whether it is final. */
    public record Statement(
            YearMonth period, String status, Instant closedAt, List<StatementLine> lines) {}

    /** Every period that has usage or a state, oldest first. */
    public List<StatementStore.PeriodState> periods() {
        try (Connection c = dataSource.getConnection()) {
            Map<YearMonth, StatementStore.PeriodState> all = new TreeMap<>();
            for (YearMonth p : rollups.periodsWithUsage(c)) {
                all.put(p, new StatementStore.PeriodState(p, OPEN, null));
            }
            for (StatementStore.PeriodState s : statements.periods(c)) {
                all.put(s.period(), s);
            }
            return new ArrayList<>(all.values());
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The period's statement: stored if CLOSED, computed from the usage so far if OPEN. */
    public Statement statement(YearMonth period) {
        requireRegistry();
        try (Connection c = dataSource.getConnection()) {
            var state = statements.period(c, period);
            if (state.isPresent() && CLOSED.equals(state.get().status())) {
                return new Statement(
                        period, CLOSED, state.get().closedAt(), statements.lines(c, period));
            }
            return new Statement(period, OPEN, null, compute(c, period, false).lines());
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every line of the period's statement, streamed from the database when it is closed. */
    public void forEachLine(YearMonth period, java.util.function.Consumer<StatementLine> sink) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            var state = statements.period(c, period);
            if (state.isPresent() && CLOSED.equals(state.get().status())) {
                statements.forEachLine(c, period, sink);
            } else {
                requireRegistry();
                compute(c, period, false).lines().forEach(sink);
            }
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Closes a period: computes, stores and freezes its statement in one transaction. */
    public Statement close(YearMonth period, boolean force) {
        requireRegistry();
        Statement closedStatement;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            // one snapshot for everything the close reads
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            try {
                // closes run one at a time: two closes must never settle the same late usage; the
                // lock comes first so that the snapshot is taken once it is held
                statements.lockPeriods(c);
                StatementStore.PeriodState state = statements.lock(c, period);
                if (CLOSED.equals(state.status())) {
                    throw new ProblemException(
                            409,
                            "PERIOD_CLOSED",
                            "period " + period + " was closed at " + state.closedAt());
                }
                Instant closable =
                        period.plusMonths(1)
                                .atDay(1)
                                .atStartOfDay()
                                .toInstant(ZoneOffset.UTC)
                                .plus(config.closeGrace());
                if (!force && clock.instant().isBefore(closable)) {
                    throw new ProblemException(
                            409,
                            "GRACE_PERIOD_NOT_OVER",
                            "period "
                                    + period
                                    + " can be closed from "
                                    + closable
                                    + " (its end plus a grace of "
                                    + config.closeGrace().toDays()
                                    + " days for late usage); use force=true to close it now");
                }
                Set<YearMonth> closed = statements.closed(c);
                for (YearMonth p : rollups.periodsWithUsage(c)) {
                    if (p.isBefore(period) && !closed.contains(p)) {
                        throw new ProblemException(
                                409,
                                "EARLIER_PERIOD_OPEN",
                                "period " + p + " is still open; periods close in order");
                    }
                }
                long t0 = System.nanoTime();
                // reads in this transaction's snapshot, taken once the lock was held
                Computed computed = compute(c, period, true);
                long t1 = System.nanoTime();
                // the journal is worked out beside the COPY of the lines
                CompletableFuture<List<JournalEntry>> journal =
                        CompletableFuture.supplyAsync(
                                () -> Ledger.post(period, computed.lines()), raters);
                statements.insertLines(c, period, computed.lines(), raters);
                long tLines = System.nanoTime();
                ledger.post(c, journal.join());
                LOG.debugf(
                        "%s: lines copied in %d ms, ledger posted in %d ms",
                        period,
                        (tLines - t1) / 1_000_000,
                        (System.nanoTime() - tLines) / 1_000_000);
                long t2 = System.nanoTime();
                // the late usage this statement settled is no longer pending, nor the usage that
                // licences signed late newly cover; the agreements rating this period are kept
                rollups.settleLate(c, period);
                for (Map.Entry<YearMonth, Set<String>> licence :
                        computed.lateLicences().entrySet()) {
                    statements.recordAgreements(c, licence.getKey(), licence.getValue(), period);
                }
                statements.recordAgreements(c, period, inForce(period), null);
                Instant closedAt = statements.markClosed(c, period);
                long t3 = System.nanoTime();
                c.commit();
                closedStatement = new Statement(period, CLOSED, closedAt, computed.lines());
                LOG.infof(
                        "closed %s: %d lines; read and rated in %d ms, lines and ledger stored in %d ms,"
                                + " period marked closed in %d ms, committed in %d ms",
                        period,
                        computed.lines().size(),
                        (t1 - t0) / 1_000_000,
                        (t2 - t1) / 1_000_000,
                        (t3 - t2) / 1_000_000,
                        (System.nanoTime() - t3) / 1_000_000);
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            }
        } catch (SQLException e) {
            if ("40001".equals(e.getSQLState())) {
                throw new ProblemException(
                        409,
                        "CLOSE_IN_PROGRESS",
                        "period " + period + " is being closed by another request");
            }
            throw new IllegalStateException(e);
        }
        // the lines just stored, as stored: nothing to read back
        return closedStatement;
    }

    /**
     * Usage of models on platforms with no agreement in force, per period with usage (or one
     * period). A closed period's is what the agreements its statement rated it with at its close
     * left uncovered, also once an agreement recorded later covers it: that part is marked {@code
     * licensedLater} (its royalties are paid as late adjustments).
     */
    public List<Uncovered> uncovered(YearMonth only) {
        requireRegistry();
        List<Uncovered> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            Set<YearMonth> closed = statements.closed(c);
            for (YearMonth p : only == null ? rollups.periodsWithUsage(c) : List.of(only)) {
                List<Agreement> now = registry.agreements();
                Optional<Set<String>> atClose =
                        closed.contains(p)
                                ? statements.agreementsOf(c, p, false)
                                : Optional.empty();
                List<Agreement> rated = atClose.isPresent() ? agreementsAmong(atClose.get()) : now;
                Predicate<UsageRow> licensed = Coverage.hasAgreement(p, now, registry.models());
                List<UsageRow> usage = rollups.usage(c, p);
                if (atClose.isPresent()) {
                    Predicate<UsageRow> coveredAtClose =
                            Coverage.hasAgreement(p, rated, registry.models());
                    usage = usage.stream().filter(coveredAtClose.negate()).toList();
                }
                List<UsageRow> later = usage.stream().filter(licensed).toList();
                List<UsageRow> still = usage.stream().filter(licensed.negate()).toList();
                for (UncoveredUsage u : Coverage.uncovered(p, still, rated, registry.models())) {
                    out.add(new Uncovered(p, u, false));
                }
                for (UncoveredUsage u : Coverage.uncovered(p, later, rated, registry.models())) {
                    out.add(new Uncovered(p, u, true));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    /** The registry's agreements with these ids. */
    private List<Agreement> agreementsAmong(Set<String> ids) {
        return registry.agreements().stream().filter(a -> ids.contains(a.id())).toList();
    }

    /**
     * One period's uncovered usage; {@code licensedLater} when an agreement recorded after the
     * period's close covers it now.
     */
    public record Uncovered(YearMonth period, UncoveredUsage usage, boolean licensedLater) {}

    /** The journal entries a period's close posted (none while it is open). */
    public List<LedgerStore.Posted> ledger(YearMonth period) {
        try (Connection c = dataSource.getConnection()) {
            return ledger.entries(c, period);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public List<LedgerStore.Balance> balances(Instant asOf) {
        try (Connection c = dataSource.getConnection()) {
            return ledger.balances(c, asOf);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A computed statement, and the agreements recorded after the close of an earlier period whose
     * newly covered usage it settles, by that period.
     */
    private record Computed(List<StatementLine> lines, Map<YearMonth, Set<String>> lateLicences) {}

    /**
     * Computes the period's statement from what {@code c} sees. With {@code parallel}, {@code c}
     * must be in a REPEATABLE READ transaction whose snapshot is already taken: the daily roll-ups
     * of the pairs rated day by day are then read at the same time on a second connection, in that
     * same snapshot (exported from {@code c}'s transaction, which stays open until the read is
     * over), while {@code c} reads the monthly roll-ups and the late usage.
     */
    private Computed compute(Connection c, YearMonth period, boolean parallel) throws SQLException {
        long t0 = System.nanoTime();
        Set<List<String>> dayPairs = dayPairs(period);
        BiPredicate<String, String> needsDays =
                (platformId, modelId) -> dayPairs.contains(Arrays.asList(platformId, modelId));
        List<UsageRow> own;
        Late late;
        if (!parallel || dayPairs.isEmpty()) {
            own = rollups.periodUsage(c, period, needsDays);
            LOG.debugf(
                    "read %d roll-up rows of %s in %d ms",
                    (Object) own.size(), period, (System.nanoTime() - t0) / 1_000_000);
            late = lateUsage(c, period);
        } else {
            String snapshot = rollups.exportSnapshot(c);
            CompletableFuture<List<UsageRow>> days =
                    CompletableFuture.supplyAsync(
                            () -> dayUsage(snapshot, period, dayPairs), readers);
            List<UsageRow> months;
            try {
                months = rollups.monthUsage(c, period);
                late = lateUsage(c, period);
            } catch (SQLException | RuntimeException e) {
                // the other connection is done with the snapshot before this transaction ends
                days.handle((rows, failure) -> null).join();
                throw e;
            }
            long tMonths = System.nanoTime();
            List<UsageRow> dayRows;
            try {
                dayRows = await(days);
            } catch (SQLException | RuntimeException e) {
                // no second connection (the pool is exhausted, say): c has the same snapshot
                LOG.warnf(
                        e,
                        "%s: daily roll-ups not read on a second connection; reading them here",
                        period);
                dayRows = rollups.dayUsage(c, period, dayPairs);
            }
            own = RollupStore.periodUsage(months, dayRows, needsDays);
            LOG.debugf(
                    "read %d roll-up rows of %s in %d ms (monthly rows and late usage in %d ms,"
                            + " %d pairs day by day beside them)",
                    own.size(),
                    period,
                    (System.nanoTime() - t0) / 1_000_000,
                    (tMonths - t0) / 1_000_000,
                    dayPairs.size());
        }
        List<StatementLine> lines;
        try {
            lines =
                    SettlementEngine.settle(
                            period,
                            own,
                            late.usage(),
                            registry.agreements(),
                            registry.models(),
                            raters);
        } catch (IllegalArgumentException e) {
            // the engine refuses to guess (an unknown model, a broken lineage): say so, do not pay
            throw new ProblemException(
                    409,
                    "REGISTRY_INCOMPLETE",
                    "the statement of "
                            + period
                            + " cannot be computed from the registry as known here: "
                            + e.getMessage());
        }
        return new Computed(lines, late.licences());
    }

    /**
     * What {@code period}'s statement settles of closed periods: their late usage, and the
     * agreements recorded after their close that it settles the newly covered usage of.
     */
    private record Late(List<LateUsage> usage, Map<YearMonth, Set<String>> licences) {}

    /**
     * The usage of closed periods that {@code period}'s statement settles, if any: usage that
     * arrived after their close, and usage that an agreement recorded after their close (a licence
     * signed late) newly covers. Each continues from the tier position of what the closed period's
     * statements already rated, and recoups the top-ups still outstanding for it.
     */
    private Late lateUsage(Connection c, YearMonth period) throws SQLException {
        List<LateUsage> late = new ArrayList<>();
        Map<YearMonth, Set<String>> licences = new TreeMap<>();
        Set<YearMonth> closed = statements.closed(c);
        // late usage of closed periods is settled by the earliest open period (the next to close);
        // a later open period's estimate does not count it again
        boolean settlesLate =
                rollups.periodsWithUsage(c).stream()
                        .noneMatch(p -> p.isBefore(period) && !closed.contains(p));
        List<Agreement> agreements = registry.agreements();
        for (YearMonth p : closed) {
            if (!settlesLate || !p.isBefore(period)) {
                continue;
            }
            // a period closed before closes recorded their agreements has none signed late
            Set<String> rated = statements.agreementsOf(c, p, true).orElse(null);
            Set<String> signedLate = new TreeSet<>();
            for (Agreement a : agreements) {
                if (rated != null && a.daysInForce(p) > 0 && !rated.contains(a.id())) {
                    signedLate.add(a.id());
                }
            }
            List<UsageRow> pending = rollups.pendingLate(c, p);
            if (pending.isEmpty() && signedLate.isEmpty()) {
                continue;
            }
            // the tier positions they continue from: what is settled on the same platforms
            Set<String> platforms = new TreeSet<>();
            pending.forEach(r -> platforms.add(r.platformId()));
            for (Agreement a : agreements) {
                if (signedLate.contains(a.id())) {
                    platforms.add(a.platformId());
                }
            }
            List<UsageRow> settled = difference(rollups.usage(c, p, platforms), pending);
            List<UsageRow> lateRows = new ArrayList<>(pending);
            if (!signedLate.isEmpty()) {
                // usage the close left uncovered that a licence signed late covers: never rated
                // yet, so it is late usage, not part of the tier position
                Predicate<UsageRow> before =
                        Coverage.hasAgreement(p, agreementsAmong(rated), registry.models());
                Predicate<UsageRow> now = Coverage.hasAgreement(p, agreements, registry.models());
                List<UsageRow> covered = settled.stream().filter(before.negate().and(now)).toList();
                settled = difference(settled, covered);
                lateRows.addAll(covered);
                licences.put(p, signedLate);
            }
            Map<String, BigDecimal> topUps =
                    SettlementEngine.topUpsOutstanding(p, statements.guaranteeLines(c, p));
            late.add(new LateUsage(p, settled, lateRows, topUps));
        }
        return new Late(late, licences);
    }

    /**
     * The daily roll-ups of {@code pairs} in {@code period}, read on a connection of its own in the
     * exported snapshot {@code snapshot}.
     */
    private List<UsageRow> dayUsage(String snapshot, YearMonth period, Set<List<String>> pairs) {
        long started = System.nanoTime();
        try (Connection d = dataSource.getConnection()) {
            d.setAutoCommit(false);
            try {
                rollups.importSnapshot(d, snapshot);
                List<UsageRow> rows = rollups.dayUsage(d, period, pairs);
                d.commit();
                LOG.debugf(
                        "%s: %d daily roll-up rows of %d pairs read in %d ms on a second connection",
                        period,
                        rows.size(),
                        pairs.size(),
                        (System.nanoTime() - started) / 1_000_000);
                return rows;
            } catch (SQLException | RuntimeException e) {
                d.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new CompletionException(e);
        }
    }

    /** The result of {@code f}, or what it failed with. */
    private static <T> T await(CompletableFuture<T> f) throws SQLException {
        try {
            return f.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof SQLException s) {
                throw s;
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    /** What {@code now} has beyond {@code settled}, key by key (roll-ups only grow). */
    static List<UsageRow> difference(List<UsageRow> now, List<UsageRow> settled) {
        Map<String, UsageRow> before = new LinkedHashMap<>();
        settled.forEach(r -> before.put(RollupStore.key(r), r));
        List<UsageRow> out = new ArrayList<>();
        for (UsageRow r : now) {
            UsageRow b = before.get(RollupStore.key(r));
            if (b == null) {
                out.add(r);
                continue;
            }
            Map<String, BigDecimal> units = new TreeMap<>();
            boolean changed = r.events() != b.events() || r.revenue().compareTo(b.revenue()) != 0;
            for (var u : r.units().entrySet()) {
                BigDecimal d =
                        u.getValue().subtract(b.units().getOrDefault(u.getKey(), BigDecimal.ZERO));
                if (d.signum() != 0) {
                    changed = true;
                    units.put(u.getKey(), d);
                }
            }
            if (changed) {
                out.add(
                        new UsageRow(
                                r.platformId(),
                                r.modelId(),
                                r.day(),
                                r.customerType(),
                                r.currency(),
                                r.events() - b.events(),
                                r.revenue().subtract(b.revenue()),
                                units));
            }
        }
        return out;
    }

    /**
     * The (platform, model) pairs whose usage must be rated day by day in {@code period}: an
     * agreement that could rate it (for the model, or for all its maker's models on the platform)
     * starts or ends inside the period. Every other pair is rated from its monthly sums, which
     * gives the same exact amounts from far fewer rows. Pairs of models the registry does not know
     * are never among them.
     */
    private Set<List<String>> dayPairs(YearMonth period) {
        Set<List<String>> changing = new HashSet<>();
        int days = period.lengthOfMonth();
        for (Agreement a : registry.agreements()) {
            long inForce = a.daysInForce(period);
            if (inForce > 0 && inForce < days) {
                changing.add(Arrays.asList(a.platformId(), a.makerId(), a.modelId()));
            }
        }
        Set<List<String>> pairs = new HashSet<>();
        if (changing.isEmpty()) {
            return pairs;
        }
        Map<String, List<String>> modelsOfMaker = new HashMap<>();
        for (Map.Entry<String, ModelInfo> m : registry.models().entrySet()) {
            modelsOfMaker
                    .computeIfAbsent(m.getValue().makerId(), k -> new ArrayList<>())
                    .add(m.getKey());
        }
        for (List<String> a : changing) {
            String platformId = a.get(0);
            List<String> models = modelsOfMaker.getOrDefault(a.get(1), List.of());
            for (String modelId : models) {
                if (a.get(2) == null || a.get(2).equals(modelId)) {
                    pairs.add(Arrays.asList(platformId, modelId));
                }
            }
        }
        return pairs;
    }

    /** The ids of the agreements in force on at least one day of {@code period}. */
    private List<String> inForce(YearMonth period) {
        return registry.agreements().stream()
                .filter(a -> a.daysInForce(period) > 0)
                .map(Agreement::id)
                .toList();
    }

    private void requireRegistry() {
        if (!registry.caughtUp()) {
            throw new ProblemException(
                    503,
                    "STARTING",
                    "the service is still reading the registry; retry in a few seconds");
        }
    }
}
