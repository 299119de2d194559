package dev.fairshare.settlement.service;

import dev.fairshare.settlement.domain.AccountBalance;
import dev.fairshare.settlement.domain.PeriodState;
import dev.fairshare.settlement.domain.PostedEntry;
import dev.fairshare.settlement.engine.Agreement;
import dev.fairshare.settlement.engine.Coverage;
import dev.fairshare.settlement.engine.CurrencyMismatch;
import dev.fairshare.settlement.engine.Pool;
import dev.fairshare.settlement.engine.PoolPeriod;
import dev.fairshare.settlement.engine.StatementLine;
import dev.fairshare.settlement.engine.UncoveredUsage;
import dev.fairshare.settlement.engine.UsageRow;
import dev.fairshare.settlement.problem.ProblemException;
import dev.fairshare.settlement.registry.RegistryReplica;
import dev.fairshare.settlement.store.LedgerStore;
import dev.fairshare.settlement.store.PoolStore;
import dev.fairshare.settlement.store.RollupStore;
import dev.fairshare.settlement.store.StatementStore;
import dev.fairshare.settlement.store.Transactions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Periods and statements: an OPEN period's statement is computed on demand from the usage so far
 * (the accrual); closing computes it once more, stores it, and never changes it again. Usage that
 * arrives later for a closed period is settled by the next close as LATE_ADJUSTMENT lines.
 *
 * <p>Every month from the first agreement's first day to the current month is a period, with or
 * without usage (a guarantee is owed in a month without usage), and so is every month with usage;
 * periods close in order. Each close, estimate and report reads the registry once, as one {@link
 * RegistryReplica.Snapshot}, and uses that view throughout. {@link StatementComputer} works a
 * statement out; {@link PeriodClose} closes a period.
 */
@ApplicationScoped
public class SettlementService {
    public static final String OPEN = "OPEN";
    public static final String CLOSED = "CLOSED";

    @Inject Transactions tx;
    @Inject StatementComputer computer;
    @Inject PeriodClose closing;
    @Inject RollupStore rollups;
    @Inject StatementStore statements;
    @Inject LedgerStore ledger;
    @Inject PoolStore pools;
    @Inject RegistryReplica registry;

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
        return tx.read(c -> new ArrayList<>(computer.calendar(c, view).values()));
    }

    /** The period's statement: stored if CLOSED, computed from the usage so far if OPEN. */
    public Statement statement(YearMonth period) {
        requireRegistry();
        return tx.read(
                c -> {
                    var state = statements.period(c, period);
                    if (state.isPresent() && CLOSED.equals(state.get().status())) {
                        return new Statement(
                                period,
                                CLOSED,
                                state.get().closedAt(),
                                statements.lines(c, period));
                    }
                    RegistryReplica.Snapshot view = registry.snapshot();
                    return new Statement(period, OPEN, null, accrual(c, period, view).lines());
                });
    }

    /** Every line of the period's statement, streamed from the database when it is closed. */
    public void forEachLine(YearMonth period, java.util.function.Consumer<StatementLine> sink) {
        tx.inTransaction(
                c -> {
                    var state = statements.period(c, period);
                    if (state.isPresent() && CLOSED.equals(state.get().status())) {
                        statements.forEachLine(c, period, sink);
                    } else {
                        requireRegistry();
                        RegistryReplica.Snapshot view = registry.snapshot();
                        accrual(c, period, view).lines().forEach(sink);
                    }
                    return null;
                });
    }

    /** An open period's statement from the usage so far. */
    private StatementComputer.Computed accrual(
            Connection c, YearMonth period, RegistryReplica.Snapshot view) throws SQLException {
        return computer.compute(c, period, false, view, computer.calendar(c, view));
    }

    /**
     * Closes a period: computes, stores and freezes its statement in one transaction, from one
     * snapshot of the database and one of the registry.
     */
    public Closed close(YearMonth period, boolean force) {
        return closing.close(period, force);
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
        return tx.read(
                c -> {
                    List<Uncovered> out = new ArrayList<>();
                    Set<YearMonth> closed = statements.closed(c);
                    for (YearMonth p : only == null ? rollups.periodsWithUsage(c) : List.of(only)) {
                        Optional<Set<String>> atClose =
                                closed.contains(p)
                                        ? statements.agreementsOf(c, p, false)
                                        : Optional.empty();
                        try {
                            out.addAll(uncovered(c, p, view, atClose));
                        } catch (IllegalArgumentException e) {
                            // usage of a model the registry does not know: say so, as a statement
                            // does
                            throw StatementComputer.registryIncomplete(
                                    "the usage report of " + p, e);
                        }
                    }
                    return out;
                });
    }

    /**
     * Period {@code p}'s uncovered usage and unpaid pool shares, as the agreements rated at its
     * close ({@code atClose}, when closed) or now left them; usage an agreement now covers is
     * marked {@code licensedLater}.
     */
    private List<Uncovered> uncovered(
            Connection c, YearMonth p, RegistryReplica.Snapshot view, Optional<Set<String>> atClose)
            throws SQLException {
        List<Uncovered> out = new ArrayList<>();
        List<Agreement> now = view.agreements();
        List<Agreement> rated =
                atClose.isPresent() ? StatementComputer.agreementsAmong(view, atClose.get()) : now;
        Predicate<UsageRow> licensed = new Coverage(p, now, view.models())::hasAgreement;
        Coverage ratedCoverage = new Coverage(p, rated, view.models());
        List<UsageRow> usage = rollups.usage(c, p);
        if (atClose.isPresent()) {
            Predicate<UsageRow> coveredAtClose = ratedCoverage::hasAgreement;
            usage = usage.stream().filter(coveredAtClose.negate()).toList();
        }
        List<UsageRow> later = usage.stream().filter(licensed).toList();
        List<UsageRow> still = usage.stream().filter(licensed.negate()).toList();
        for (UncoveredUsage u : ratedCoverage.uncovered(still)) {
            out.add(new Uncovered(p, u, false));
        }
        for (UncoveredUsage u : ratedCoverage.uncovered(later)) {
            out.add(new Uncovered(p, u, true));
        }
        for (Pool pool : pools.ofPeriod(c, p).values()) {
            PoolPeriod pooled =
                    new PoolPeriod(pool, rollups.pooledUsage(c, p, Set.of(pool.platformId())));
            for (UncoveredUsage u : Coverage.unpaidPoolShares(pooled, rated, view.models())) {
                out.add(new Uncovered(p, u, false));
            }
        }
        return out;
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

    /** A report of a period's {@link Coverage} on its usage. */
    @FunctionalInterface
    private interface CoverageReport<T> {
        List<T> of(Coverage coverage, List<UsageRow> usage);
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
        return tx.read(
                c -> {
                    List<D> out = new ArrayList<>();
                    for (YearMonth p : only == null ? rollups.periodsWithUsage(c) : List.of(only)) {
                        List<T> items;
                        try {
                            items =
                                    report.of(
                                            new Coverage(p, view.agreements(), view.models()),
                                            rollups.usage(c, p));
                        } catch (IllegalArgumentException e) {
                            // usage of a model the registry does not know: say so, as a statement
                            // does
                            throw StatementComputer.registryIncomplete(
                                    "the usage report of " + p, e);
                        }
                        for (T item : items) {
                            out.add(dated.apply(p, item));
                        }
                    }
                    return out;
                });
    }

    /** The journal entries a period's close posted (none while it is open). */
    public List<PostedEntry> ledger(YearMonth period) {
        return tx.read(c -> ledger.entries(c, period));
    }

    public List<AccountBalance> balances(Instant asOf) {
        return tx.read(c -> ledger.balances(c, asOf));
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
