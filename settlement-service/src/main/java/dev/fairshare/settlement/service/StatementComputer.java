package dev.fairshare.settlement.service;

import static dev.fairshare.settlement.service.SettlementService.CLOSED;
import static dev.fairshare.settlement.service.SettlementService.OPEN;

import dev.fairshare.settlement.domain.PeriodState;
import dev.fairshare.settlement.engine.Agreement;
import dev.fairshare.settlement.engine.Coverage;
import dev.fairshare.settlement.engine.LatePool;
import dev.fairshare.settlement.engine.LateUsage;
import dev.fairshare.settlement.engine.ModelInfo;
import dev.fairshare.settlement.engine.Pool;
import dev.fairshare.settlement.engine.PoolPeriod;
import dev.fairshare.settlement.engine.PooledUsage;
import dev.fairshare.settlement.engine.Pooling;
import dev.fairshare.settlement.engine.SettlementEngine;
import dev.fairshare.settlement.engine.StatementLine;
import dev.fairshare.settlement.engine.UsageRow;
import dev.fairshare.settlement.problem.FieldError;
import dev.fairshare.settlement.problem.ProblemException;
import dev.fairshare.settlement.registry.RegistryReplica;
import dev.fairshare.settlement.service.SettlementService.RegistryViewTaken;
import dev.fairshare.settlement.store.PoolStore;
import dev.fairshare.settlement.store.RollupStore;
import dev.fairshare.settlement.store.StatementStore;
import dev.fairshare.settlement.store.Transactions;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Arrays;
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
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.function.BiPredicate;
import java.util.function.Predicate;

/**
 * Works out a period's statement from the usage in the database and one registry view: the accrual
 * of an open period, and the statement a close stores. It rates the period's own usage (day by day
 * only for the pairs whose agreements change inside the period), the late usage of closed periods
 * that this period settles, and the declared revenue pools.
 */
@ApplicationScoped
class StatementComputer {
    private static final org.jboss.logging.Logger LOG =
            org.jboss.logging.Logger.getLogger(StatementComputer.class);

    private final Transactions tx;
    private final RollupStore rollups;
    private final StatementStore statements;
    private final PoolStore pools;
    private final Clock clock;
    private final Event<RegistryViewTaken> viewTaken;
    // reads a close's daily roll-ups on a second connection while the close's own reads the rest
    private final ExecutorService readers;
    // rates the platforms of a statement side by side, a thread per core
    private final ExecutorService raters;

    StatementComputer(
            Transactions tx,
            RollupStore rollups,
            StatementStore statements,
            PoolStore pools,
            Event<RegistryViewTaken> viewTaken) {
        this.tx = tx;
        this.rollups = rollups;
        this.statements = statements;
        this.pools = pools;
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

    /** The threads that rate a statement; a close also stores its lines and journal on them. */
    Executor raters() {
        return raters;
    }

    /**
     * The periods as {@code c} and {@code view} see them: every month from the first agreement's
     * first day to the current month, every month with usage, and every month with a state.
     */
    SortedMap<YearMonth, PeriodState> calendar(Connection c, RegistryReplica.Snapshot view)
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

    /**
     * A computed statement, the agreements recorded after the close of an earlier period whose
     * newly covered usage it settles (by that period), and (for a close) how many groups of
     * currency-mismatched usage the period's own usage has.
     */
    record Computed(
            List<StatementLine> lines,
            Map<YearMonth, Set<String>> lateLicences,
            int currencyMismatches) {}

    /**
     * Computes the period's statement from what {@code c} sees. When {@code closing}, {@code c}
     * must be in a REPEATABLE READ transaction whose snapshot is already taken: the daily roll-ups
     * of the pairs rated day by day are then read at the same time on a second connection, in that
     * same snapshot (exported from {@code c}'s transaction, which stays open until the read is
     * over), while {@code c} reads the monthly roll-ups, the late usage and the pools; a close also
     * refuses pooled usage without a declared pool and counts the currency-mismatched usage.
     * Everything it takes from the registry comes from {@code view}; {@code calendar} is the
     * periods as {@code c} sees them.
     */
    Computed compute(
            Connection c,
            YearMonth period,
            boolean closing,
            RegistryReplica.Snapshot view,
            SortedMap<YearMonth, PeriodState> calendar)
            throws SQLException {
        long t0 = System.nanoTime();
        Set<List<String>> dayPairs = dayPairs(period, view);
        viewTaken.fire(new RegistryViewTaken(period, view));
        RestRead rest =
                () ->
                        new Rest(
                                lateUsage(c, period, calendar, view),
                                pooling(c, period, closing, calendar));
        Read read =
                closing && !dayPairs.isEmpty()
                        ? readBesideDailyRollups(c, period, dayPairs, rest, t0)
                        : readInTurn(c, period, dayPairs, rest, t0);
        long tRate = System.nanoTime();
        Computed computed = rate(period, closing, read, view);
        LOG.debugf("%s: rated in %d ms", period, (System.nanoTime() - tRate) / 1_000_000);
        return computed;
    }

    /** What a statement rates besides the period's own usage: the late usage, and the pools. */
    private record Rest(Late late, Pooling pooling) {}

    /** Reads what a statement rates besides the period's own usage. */
    @FunctionalInterface
    private interface RestRead {
        Rest read() throws SQLException;
    }

    /** Everything a statement rates. */
    private record Read(List<UsageRow> own, Late late, Pooling pooling) {}

    /** The period's own usage and then the rest, all read on {@code c}. */
    private Read readInTurn(
            Connection c, YearMonth period, Set<List<String>> dayPairs, RestRead restRead, long t0)
            throws SQLException {
        List<UsageRow> own = rollups.periodUsage(c, period, needsDays(dayPairs));
        long tOwn = System.nanoTime();
        Rest rest = restRead.read();
        LOG.debugf(
                "read %d roll-up rows of %s in %d ms, late usage and pools in %d ms",
                own.size(),
                period,
                (tOwn - t0) / 1_000_000,
                (System.nanoTime() - tOwn) / 1_000_000);
        return new Read(own, rest.late(), rest.pooling());
    }

    /**
     * Everything a statement rates, the daily roll-ups of {@code dayPairs} read on a second
     * connection in {@code c}'s snapshot while {@code c} reads the monthly roll-ups and then {@code
     * restRead} (the late usage and the pools).
     */
    private Read readBesideDailyRollups(
            Connection c, YearMonth period, Set<List<String>> dayPairs, RestRead restRead, long t0)
            throws SQLException {
        String snapshot = rollups.exportSnapshot(c);
        CompletableFuture<List<UsageRow>> days =
                CompletableFuture.supplyAsync(() -> dayUsage(snapshot, period, dayPairs), readers);
        List<UsageRow> months;
        Rest rest;
        try {
            months = rollups.monthUsage(c, period);
            rest = restRead.read();
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
        List<UsageRow> own = RollupStore.periodUsage(months, dayRows, needsDays(dayPairs));
        LOG.debugf(
                "read %d roll-up rows of %s in %d ms (monthly rows, late usage and pools in %d ms,"
                        + " %d pairs day by day beside them)",
                own.size(),
                period,
                (System.nanoTime() - t0) / 1_000_000,
                (tMonths - t0) / 1_000_000,
                dayPairs.size());
        return new Read(own, rest.late(), rest.pooling());
    }

    private static BiPredicate<String, String> needsDays(Set<List<String>> dayPairs) {
        return (platformId, modelId) -> dayPairs.contains(Arrays.asList(platformId, modelId));
    }

    /**
     * Rates the usage and splits the pools with the engine; a close counts the currency-mismatched
     * usage beside the rating, on the rows it rates and with the same view.
     */
    private Computed rate(
            YearMonth period, boolean closing, Read read, RegistryReplica.Snapshot view)
            throws SQLException {
        try {
            CompletableFuture<Integer> mismatched =
                    closing
                            ? CompletableFuture.supplyAsync(
                                    () ->
                                            new Coverage(period, view.agreements(), view.models())
                                                    .currencyMismatches(read.own())
                                                    .size(),
                                    raters)
                            : CompletableFuture.completedFuture(0);
            List<StatementLine> lines =
                    SettlementEngine.settle(
                            period,
                            read.own(),
                            read.late().usage(),
                            read.pooling(),
                            view.agreements(),
                            view.models(),
                            raters);
            return new Computed(lines, read.late().licences(), await(mismatched));
        } catch (IllegalArgumentException e) {
            // the engine refuses to guess (an unknown model, a broken lineage): say so, do not pay
            throw registryIncomplete("the statement of " + period, e);
        }
    }

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
        return new Pooling(own, latePools(c, period, calendar));
    }

    /**
     * The pools of closed periods that late pooled usage re-runs, when {@code period} is the one
     * that settles late usage (every earlier period is closed).
     */
    private List<LatePool> latePools(
            Connection c, YearMonth period, SortedMap<YearMonth, PeriodState> calendar)
            throws SQLException {
        List<LatePool> late = new ArrayList<>();
        if (!settlesLate(period, calendar)) {
            return late;
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
        return late;
    }

    /**
     * Whether {@code period}'s statement settles the late usage of closed periods: it is the
     * earliest open period (the next to close), so a later open period's estimate does not count it
     * again.
     */
    private static boolean settlesLate(
            YearMonth period, SortedMap<YearMonth, PeriodState> calendar) {
        return calendar.headMap(period).values().stream().allMatch(p -> CLOSED.equals(p.status()));
    }

    private static Map<String, List<PooledUsage>> byPlatform(List<PooledUsage> usage) {
        Map<String, List<PooledUsage>> out = new TreeMap<>();
        usage.forEach(u -> out.computeIfAbsent(u.platformId(), k -> new ArrayList<>()).add(u));
        return out;
    }

    static ProblemException registryIncomplete(String what, IllegalArgumentException e) {
        return new ProblemException(
                409,
                "REGISTRY_INCOMPLETE",
                what + " cannot be computed from the registry as known here: " + e.getMessage());
    }

    /** The snapshot's agreements with these ids. */
    static List<Agreement> agreementsAmong(RegistryReplica.Snapshot view, Set<String> ids) {
        return view.agreements().stream().filter(a -> ids.contains(a.id())).toList();
    }

    /**
     * What {@code period}'s statement settles of closed periods: their late usage, and the
     * agreements recorded after their close that it settles the newly covered usage of.
     */
    record Late(List<LateUsage> usage, Map<YearMonth, Set<String>> licences) {}

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
        boolean settlesLate = settlesLate(period, calendar);
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
                        new Coverage(p, agreementsAmong(view, rated), view.models())::hasAgreement;
                Predicate<UsageRow> now = new Coverage(p, agreements, view.models())::hasAgreement;
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
        return tx.inTransaction(
                d -> {
                    rollups.importSnapshot(d, snapshot);
                    List<UsageRow> rows = rollups.dayUsage(d, period, pairs);
                    LOG.debugf(
                            "%s: %d daily roll-up rows of %d pairs read in %d ms on a second connection",
                            period,
                            rows.size(),
                            pairs.size(),
                            (System.nanoTime() - started) / 1_000_000);
                    return rows;
                });
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
}
