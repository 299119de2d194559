package dev.fairshare.settlement.service;

import dev.fairshare.settlement.config.SettlementConfig;
import dev.fairshare.settlement.domain.AccountBalance;
import dev.fairshare.settlement.domain.PeriodState;
import dev.fairshare.settlement.domain.PostedEntry;
import dev.fairshare.settlement.engine.Agreement;
import dev.fairshare.settlement.engine.Coverage;
import dev.fairshare.settlement.engine.CurrencyMismatch;
import dev.fairshare.settlement.engine.JournalEntry;
import dev.fairshare.settlement.engine.LatePool;
import dev.fairshare.settlement.engine.LateUsage;
import dev.fairshare.settlement.engine.Ledger;
import dev.fairshare.settlement.engine.ModelInfo;
import dev.fairshare.settlement.engine.Pool;
import dev.fairshare.settlement.engine.PoolPeriod;
import dev.fairshare.settlement.engine.PooledUsage;
import dev.fairshare.settlement.engine.SettlementEngine;
import dev.fairshare.settlement.engine.StatementLine;
import dev.fairshare.settlement.engine.UncoveredUsage;
import dev.fairshare.settlement.engine.UsageRow;
import dev.fairshare.settlement.problem.FieldError;
import dev.fairshare.settlement.problem.ProblemException;
import dev.fairshare.settlement.registry.RegistryReplica;
import dev.fairshare.settlement.store.LedgerStore;
import dev.fairshare.settlement.store.PoolStore;
import dev.fairshare.settlement.store.RollupStore;
import dev.fairshare.settlement.store.StatementStore;
import io.agroal.api.AgroalDataSource;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
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
 *
 * <p>Every month from the first agreement's first day to the current month is a period, with or
 * without usage (a guarantee is owed in a month without usage), and so is every month with usage;
 * periods close in order. Each close, estimate and report reads the registry once, as one {@link
 * RegistryReplica.Snapshot}, and uses that view throughout.
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
    private final PoolStore pools;
    private final RegistryReplica registry;
    private final SettlementConfig config;
    private final Clock clock;
    private final Event<RegistryViewTaken> viewTaken;
    // reads a close's daily roll-ups on a second connection while the close's own reads the rest
    private final ExecutorService readers;
    // rates the platforms of a statement side by side, a thread per core
    private final ExecutorService raters;

    public SettlementService(
            AgroalDataSource dataSource,
            RollupStore rollups,
            StatementStore statements,
            LedgerStore ledger,
            PoolStore pools,
            RegistryReplica registry,
            SettlementConfig config,
            Event<RegistryViewTaken> viewTaken) {
        this.dataSource = dataSource;
        this.rollups = rollups;
        this.statements = statements;
        this.ledger = ledger;
        this.pools = pools;
        this.registry = registry;
        this.config = config;
        this.clock = Clock.systemUTC();
        this.viewTaken = viewTaken;
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

    /** A closed statement and how many groups of currency-mismatched usage its period has. */
    public record Closed(Statement statement, int currencyMismatches) {}

    /**
     * Fired when a computation (a close or an estimate) has taken its registry view and worked out
     * from it which usage it reads day by day, before it reads the usage and rates it: the view it
     * uses from there on is {@code registry}, whatever the replica applies meanwhile.
     */
    public record RegistryViewTaken(YearMonth period, RegistryReplica.Snapshot registry) {}

    /** Every period (see the class comment), oldest first, with its state. */
    public List<PeriodState> periods() {
        requireRegistry();
        RegistryReplica.Snapshot view = registry.snapshot();
        try (Connection c = dataSource.getConnection()) {
            return new ArrayList<>(calendar(c, view).values());
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The periods as {@code c} and {@code view} see them: every month from the first agreement's
     * first day to the current month, every month with usage, and every month with a state.
     */
    private SortedMap<YearMonth, PeriodState> calendar(Connection c, RegistryReplica.Snapshot view)
            throws SQLException {
        SortedMap<YearMonth, PeriodState> all = new TreeMap<>();
        Optional<LocalDate> first = view.firstAgreementDay();
        if (first.isPresent()) {
            YearMonth now = YearMonth.now(clock);
            for (YearMonth p = YearMonth.from(first.get()); !p.isAfter(now); p = p.plusMonths(1)) {
                all.put(p, new PeriodState(p, OPEN, null));
            }
        }
        for (YearMonth p : rollups.periodsWithUsage(c)) {
            all.put(p, new PeriodState(p, OPEN, null));
        }
        for (PeriodState s : statements.periods(c)) {
            all.put(s.period(), s);
        }
        return all;
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
            RegistryReplica.Snapshot view = registry.snapshot();
            return new Statement(
                    period, OPEN, null, compute(c, period, false, view, calendar(c, view)).lines());
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
                RegistryReplica.Snapshot view = registry.snapshot();
                compute(c, period, false, view, calendar(c, view)).lines().forEach(sink);
            }
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Closes a period: computes, stores and freezes its statement in one transaction, from one
     * snapshot of the database and one of the registry.
     */
    public Closed close(YearMonth period, boolean force) {
        requireRegistry();
        Closed closedStatement;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            // one snapshot for everything the close reads
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            try {
                // closes run one at a time: two closes must never settle the same late usage; the
                // lock comes first so that the snapshot is taken once it is held
                statements.lockPeriods(c);
                PeriodState state = statements.lock(c, period);
                // the one registry view of this close, taken with the lock held
                RegistryReplica.Snapshot view = registry.snapshot();
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
                SortedMap<YearMonth, PeriodState> calendar = calendar(c, view);
                for (PeriodState p : calendar.headMap(period).values()) {
                    if (!CLOSED.equals(p.status())) {
                        throw new ProblemException(
                                409,
                                "EARLIER_PERIOD_OPEN",
                                "period " + p.period() + " is still open; periods close in order");
                    }
                }
                long t0 = System.nanoTime();
                // reads in this transaction's snapshot, taken once the lock was held
                Computed computed = compute(c, period, true, view, calendar);
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
                statements.recordAgreements(c, period, inForce(period, view), null);
                Instant closedAt = statements.markClosed(c, period);
                long t3 = System.nanoTime();
                c.commit();
                closedStatement =
                        new Closed(
                                new Statement(period, CLOSED, closedAt, computed.lines()),
                                computed.currencyMismatches());
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
        RegistryReplica.Snapshot view = registry.snapshot();
        List<Uncovered> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            Set<YearMonth> closed = statements.closed(c);
            for (YearMonth p : only == null ? rollups.periodsWithUsage(c) : List.of(only)) {
                List<Agreement> now = view.agreements();
                Optional<Set<String>> atClose =
                        closed.contains(p)
                                ? statements.agreementsOf(c, p, false)
                                : Optional.empty();
                List<Agreement> rated =
                        atClose.isPresent() ? agreementsAmong(view, atClose.get()) : now;
                try {
                    Predicate<UsageRow> licensed = Coverage.hasAgreement(p, now, view.models());
                    List<UsageRow> usage = rollups.usage(c, p);
                    if (atClose.isPresent()) {
                        Predicate<UsageRow> coveredAtClose =
                                Coverage.hasAgreement(p, rated, view.models());
                        usage = usage.stream().filter(coveredAtClose.negate()).toList();
                    }
                    List<UsageRow> later = usage.stream().filter(licensed).toList();
                    List<UsageRow> still = usage.stream().filter(licensed.negate()).toList();
                    for (UncoveredUsage u : Coverage.uncovered(p, still, rated, view.models())) {
                        out.add(new Uncovered(p, u, false));
                    }
                    for (UncoveredUsage u : Coverage.uncovered(p, later, rated, view.models())) {
                        out.add(new Uncovered(p, u, true));
                    }
                    for (Pool pool : pools.ofPeriod(c, p).values()) {
                        PoolPeriod pooled =
                                new PoolPeriod(
                                        pool, rollups.pooledUsage(c, p, Set.of(pool.platformId())));
                        for (UncoveredUsage u :
                                Coverage.unpaidPoolShares(pooled, rated, view.models())) {
                            out.add(new Uncovered(p, u, false));
                        }
                    }
                } catch (IllegalArgumentException e) {
                    // usage of a model the registry does not know: say so, as a statement does
                    throw registryIncomplete("the usage report of " + p, e);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    /** The snapshot's agreements with these ids. */
    private static List<Agreement> agreementsAmong(RegistryReplica.Snapshot view, Set<String> ids) {
        return view.agreements().stream().filter(a -> ids.contains(a.id())).toList();
    }

    /**
     * One period's uncovered usage; {@code licensedLater} when an agreement recorded after the
     * period's close covers it now.
     */
    public record Uncovered(YearMonth period, UncoveredUsage usage, boolean licensedLater) {}

    /**
     * Usage under revenue-share agreements in another currency than theirs (never converted, so not
     * rated), per period with usage (or one period).
     */
    public List<Mismatch> currencyMismatches(YearMonth only) {
        return coverage(only, Coverage::currencyMismatches, Mismatch::new);
    }

    /** One period's currency-mismatched usage. */
    public record Mismatch(YearMonth period, CurrencyMismatch usage) {}

    /** A report of {@link Coverage} on a period's usage. */
    @FunctionalInterface
    private interface CoverageReport<T> {
        List<T> of(
                YearMonth period,
                List<UsageRow> usage,
                Collection<Agreement> agreements,
                Map<String, ModelInfo> models);
    }

    /**
     * {@code report} on the usage of every period with usage (or of one period), all from one
     * registry view, each item paired with its period by {@code dated}.
     */
    private <T, D> List<D> coverage(
            YearMonth only,
            CoverageReport<T> report,
            java.util.function.BiFunction<YearMonth, T, D> dated) {
        requireRegistry();
        RegistryReplica.Snapshot view = registry.snapshot();
        List<D> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            for (YearMonth p : only == null ? rollups.periodsWithUsage(c) : List.of(only)) {
                List<T> items;
                try {
                    items = report.of(p, rollups.usage(c, p), view.agreements(), view.models());
                } catch (IllegalArgumentException e) {
                    // usage of a model the registry does not know: say so, as a statement does
                    throw registryIncomplete("the usage report of " + p, e);
                }
                for (T item : items) {
                    out.add(dated.apply(p, item));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    /** The journal entries a period's close posted (none while it is open). */
    public List<PostedEntry> ledger(YearMonth period) {
        try (Connection c = dataSource.getConnection()) {
            return ledger.entries(c, period);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public List<AccountBalance> balances(Instant asOf) {
        try (Connection c = dataSource.getConnection()) {
            return ledger.balances(c, asOf);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A computed statement, the agreements recorded after the close of an earlier period whose
     * newly covered usage it settles (by that period), and (for a close) how many groups of
     * currency-mismatched usage the period's own usage has.
     */
    private record Computed(
            List<StatementLine> lines,
            Map<YearMonth, Set<String>> lateLicences,
            int currencyMismatches) {}

    /**
     * Computes the period's statement from what {@code c} sees. With {@code parallel}, {@code c}
     * must be in a REPEATABLE READ transaction whose snapshot is already taken: the daily roll-ups
     * of the pairs rated day by day are then read at the same time on a second connection, in that
     * same snapshot (exported from {@code c}'s transaction, which stays open until the read is
     * over), while {@code c} reads the monthly roll-ups and the late usage. Everything it takes
     * from the registry comes from {@code view}; {@code calendar} is the periods as {@code c} sees
     * them. With {@code parallel} (a close) it also counts the currency-mismatched usage.
     */
    private Computed compute(
            Connection c,
            YearMonth period,
            boolean parallel,
            RegistryReplica.Snapshot view,
            SortedMap<YearMonth, PeriodState> calendar)
            throws SQLException {
        long t0 = System.nanoTime();
        Set<List<String>> dayPairs = dayPairs(period, view);
        viewTaken.fire(new RegistryViewTaken(period, view));
        BiPredicate<String, String> needsDays =
                (platformId, modelId) -> dayPairs.contains(Arrays.asList(platformId, modelId));
        List<UsageRow> own;
        Late late;
        if (!parallel || dayPairs.isEmpty()) {
            own = rollups.periodUsage(c, period, needsDays);
            LOG.debugf(
                    "read %d roll-up rows of %s in %d ms",
                    (Object) own.size(), period, (System.nanoTime() - t0) / 1_000_000);
            late = lateUsage(c, period, calendar, view);
        } else {
            String snapshot = rollups.exportSnapshot(c);
            CompletableFuture<List<UsageRow>> days =
                    CompletableFuture.supplyAsync(
                            () -> dayUsage(snapshot, period, dayPairs), readers);
            List<UsageRow> months;
            try {
                months = rollups.monthUsage(c, period);
                late = lateUsage(c, period, calendar, view);
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
        Pooling pooling = pooling(c, period, parallel, calendar);
        List<StatementLine> lines;
        int mismatches;
        try {
            List<UsageRow> rated = own;
            // counted beside the rating: the rows the close rates, with the same view
            CompletableFuture<Integer> mismatched =
                    parallel
                            ? CompletableFuture.supplyAsync(
                                    () ->
                                            Coverage.currencyMismatches(
                                                            period,
                                                            rated,
                                                            view.agreements(),
                                                            view.models())
                                                    .size(),
                                    raters)
                            : CompletableFuture.completedFuture(0);
            lines =
                    SettlementEngine.settle(
                            period,
                            own,
                            late.usage(),
                            pooling.own(),
                            pooling.late(),
                            view.agreements(),
                            view.models(),
                            raters);
            mismatches = await(mismatched);
        } catch (IllegalArgumentException e) {
            // the engine refuses to guess (an unknown model, a broken lineage): say so, do not pay
            throw registryIncomplete("the statement of " + period, e);
        }
        return new Computed(lines, late.licences(), mismatches);
    }

    /** The pools a statement splits: the period's own, and those late pooled usage re-runs. */
    private record Pooling(List<PoolPeriod> own, List<LatePool> late) {}

    /**
     * The declared pools of {@code period} with their pooled usage, and the pools of closed periods
     * that late pooled usage re-runs (when {@code period} is the one that settles late usage). A
     * close ({@code closing}) with pooled usage of a platform that declared no pool is refused with
     * {@code 409 POOL_MISSING} naming the platforms; an estimate leaves their usage out. Late
     * pooled usage of a closed period for which no pool was declared has nothing to split: it is
     * marked settled with the rest.
     */
    private Pooling pooling(
            Connection c,
            YearMonth period,
            boolean closing,
            SortedMap<YearMonth, PeriodState> calendar)
            throws SQLException {
        Map<String, Pool> declared = pools.ofPeriod(c, period);
        Map<String, List<PooledUsage>> usage = byPlatform(rollups.pooledUsage(c, period, null));
        Set<String> missing = new TreeSet<>(usage.keySet());
        missing.removeAll(declared.keySet());
        if (closing && !missing.isEmpty()) {
            throw new ProblemException(
                    409,
                    "POOL_MISSING",
                    "period "
                            + period
                            + " has pooled usage of platforms that declared no pool for it: "
                            + String.join(", ", missing)
                            + " (POST /pools; a pool of revenue 0 may be declared)",
                    missing.stream()
                            .map(
                                    p ->
                                            new FieldError(
                                                    "platformId",
                                                    "POOL_MISSING",
                                                    "platform " + p + " declared no pool"))
                            .toList());
        }
        List<PoolPeriod> own = new ArrayList<>();
        declared.forEach(
                (platform, pool) ->
                        own.add(new PoolPeriod(pool, usage.getOrDefault(platform, List.of()))));
        List<LatePool> late = new ArrayList<>();
        boolean settlesLate =
                calendar.headMap(period).values().stream().allMatch(p -> CLOSED.equals(p.status()));
        if (!settlesLate) {
            return new Pooling(own, late);
        }
        for (PeriodState p : calendar.headMap(period).values()) {
            List<PooledUsage> pending = rollups.pendingLatePooled(c, p.period());
            if (pending.isEmpty()) {
                continue;
            }
            Map<String, Pool> poolsThen = pools.ofPeriod(c, p.period());
            Map<String, BigDecimal> topUps =
                    SettlementEngine.topUpsOutstanding(
                            p.period(), statements.guaranteeLines(c, p.period()));
            for (Map.Entry<String, List<PooledUsage>> e : byPlatform(pending).entrySet()) {
                Pool pool = poolsThen.get(e.getKey());
                if (pool == null) {
                    continue;
                }
                List<PooledUsage> settled =
                        RollupStore.pooledDifference(
                                rollups.pooledUsage(c, p.period(), Set.of(e.getKey())),
                                e.getValue());
                late.add(new LatePool(pool, settled, e.getValue(), topUps));
            }
        }
        return new Pooling(own, late);
    }

    private static Map<String, List<PooledUsage>> byPlatform(List<PooledUsage> usage) {
        Map<String, List<PooledUsage>> out = new TreeMap<>();
        usage.forEach(u -> out.computeIfAbsent(u.platformId(), k -> new ArrayList<>()).add(u));
        return out;
    }

    private static ProblemException registryIncomplete(String what, IllegalArgumentException e) {
        return new ProblemException(
                409,
                "REGISTRY_INCOMPLETE",
                what + " cannot be computed from the registry as known here: " + e.getMessage());
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
    private Late lateUsage(
            Connection c,
            YearMonth period,
            SortedMap<YearMonth, PeriodState> calendar,
            RegistryReplica.Snapshot view)
            throws SQLException {
        List<LateUsage> late = new ArrayList<>();
        Map<YearMonth, Set<String>> licences = new TreeMap<>();
        Set<YearMonth> closed = new TreeSet<>();
        calendar.values().stream()
                .filter(p -> CLOSED.equals(p.status()))
                .forEach(p -> closed.add(p.period()));
        // late usage of closed periods is settled by the earliest open period (the next to close);
        // a later open period's estimate does not count it again
        boolean settlesLate =
                calendar.headMap(period).values().stream().allMatch(p -> CLOSED.equals(p.status()));
        List<Agreement> agreements = view.agreements();
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
                        Coverage.hasAgreement(p, agreementsAmong(view, rated), view.models());
                Predicate<UsageRow> now = Coverage.hasAgreement(p, agreements, view.models());
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
    private Set<List<String>> dayPairs(YearMonth period, RegistryReplica.Snapshot view) {
        Set<List<String>> changing = new HashSet<>();
        int days = period.lengthOfMonth();
        for (Agreement a : view.agreements()) {
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
        for (Map.Entry<String, ModelInfo> m : view.models().entrySet()) {
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
    private static List<String> inForce(YearMonth period, RegistryReplica.Snapshot view) {
        return view.agreements().stream()
                .filter(a -> a.daysInForce(period) > 0)
                .map(Agreement::id)
                .toList();
    }

    private void requireRegistry() {
        requireCaughtUp(registry);
    }

    /** {@code 503 STARTING} until the registry replica has caught up. */
    static void requireCaughtUp(RegistryReplica registry) {
        if (!registry.caughtUp()) {
            throw new ProblemException(
                    503,
                    "STARTING",
                    "the service is still reading the registry; retry in a few seconds");
        }
    }
}
