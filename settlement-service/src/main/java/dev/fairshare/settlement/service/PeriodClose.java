package dev.fairshare.settlement.service;

import static dev.fairshare.settlement.service.SettlementService.CLOSED;

import dev.fairshare.settlement.config.SettlementConfig;
import dev.fairshare.settlement.domain.PeriodState;
import dev.fairshare.settlement.engine.Agreement;
import dev.fairshare.settlement.engine.JournalEntry;
import dev.fairshare.settlement.engine.Ledger;
import dev.fairshare.settlement.engine.StatementLine;
import dev.fairshare.settlement.problem.ProblemException;
import dev.fairshare.settlement.registry.RegistryReplica;
import dev.fairshare.settlement.service.SettlementService.Closed;
import dev.fairshare.settlement.service.SettlementService.Statement;
import dev.fairshare.settlement.service.StatementComputer.Computed;
import dev.fairshare.settlement.store.LedgerStore;
import dev.fairshare.settlement.store.RollupStore;
import dev.fairshare.settlement.store.StatementStore;
import dev.fairshare.settlement.store.Transactions;
import dev.fairshare.settlement.store.Transactions.DataAccessException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.concurrent.CompletableFuture;

/**
 * Closing a period: in one REPEATABLE READ transaction, holding the lock that makes closes run one
 * at a time, it computes the period's statement from one snapshot of the database and one of the
 * registry, stores its lines and journal, marks the late usage it settled, and freezes the period.
 */
@ApplicationScoped
class PeriodClose {
    // the close's figures are logged where operators have always found them
    private static final org.jboss.logging.Logger LOG =
            org.jboss.logging.Logger.getLogger(SettlementService.class);

    @Inject Transactions tx;
    @Inject StatementComputer computer;
    @Inject RollupStore rollups;
    @Inject StatementStore statements;
    @Inject LedgerStore ledger;
    @Inject RegistryReplica registry;
    @Inject SettlementConfig config;
    private final Clock clock = Clock.systemUTC();

    /** A close as committed, and when each of its steps ended ({@link System#nanoTime()}). */
    private record Done(Closed closed, long started, long rated, long stored, long marked) {}

    /**
     * Closes {@code period} ({@code force}: before its grace period is over). A concurrent close
     * that the database serializes after this one is refused with {@code 409 CLOSE_IN_PROGRESS}.
     */
    Closed close(YearMonth period, boolean force) {
        SettlementService.requireCaughtUp(registry);
        Done done;
        try {
            done =
                    tx.inTransaction(
                            Connection.TRANSACTION_REPEATABLE_READ, c -> close(c, period, force));
        } catch (DataAccessException e) {
            if ("40001".equals(e.sqlState())) {
                throw new ProblemException(
                        409,
                        "CLOSE_IN_PROGRESS",
                        "period " + period + " is being closed by another request");
            }
            throw e;
        }
        LOG.infof(
                "closed %s: %d lines; read and rated in %d ms, lines and ledger stored in %d ms,"
                        + " period marked closed in %d ms, committed in %d ms",
                period,
                done.closed().statement().lines().size(),
                (done.rated() - done.started()) / 1_000_000,
                (done.stored() - done.rated()) / 1_000_000,
                (done.marked() - done.stored()) / 1_000_000,
                (System.nanoTime() - done.marked()) / 1_000_000);
        // the lines just stored, as stored: nothing to read back
        return done.closed();
    }

    private Done close(Connection c, YearMonth period, boolean force) throws SQLException {
        // closes run one at a time: two closes must never settle the same late usage; the lock
        // comes first so that the snapshot is taken once it is held
        statements.lockPeriods(c);
        PeriodState state = statements.lock(c, period);
        // the one registry view of this close, taken with the lock held
        RegistryReplica.Snapshot view = registry.snapshot();
        refuseClosed(state);
        if (!force) {
            refuseWithinGrace(period);
        }
        SortedMap<YearMonth, PeriodState> calendar = computer.calendar(c, view);
        refuseEarlierOpen(period, calendar);
        long started = System.nanoTime();
        // reads in this transaction's snapshot, taken once the lock was held
        Computed computed = computer.compute(c, period, true, view, calendar);
        long rated = System.nanoTime();
        storeLinesAndJournal(c, period, computed.lines());
        long stored = System.nanoTime();
        recordWhatItSettled(c, period, computed, view);
        Instant closedAt = statements.markClosed(c, period);
        Closed closed =
                new Closed(
                        new Statement(period, CLOSED, closedAt, computed.lines()),
                        computed.currencyMismatches());
        return new Done(closed, started, rated, stored, System.nanoTime());
    }

    /** A closed period stays as it was closed. */
    private static void refuseClosed(PeriodState state) {
        if (CLOSED.equals(state.status())) {
            throw new ProblemException(
                    409,
                    "PERIOD_CLOSED",
                    "period " + state.period() + " was closed at " + state.closedAt());
        }
    }

    /** A period closes once its end plus the grace for late usage has passed. */
    private void refuseWithinGrace(YearMonth period) {
        Instant closable =
                period.plusMonths(1)
                        .atDay(1)
                        .atStartOfDay()
                        .toInstant(ZoneOffset.UTC)
                        .plus(config.closeGrace());
        if (clock.instant().isBefore(closable)) {
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
    }

    /** Periods close in order. */
    private static void refuseEarlierOpen(
            YearMonth period, SortedMap<YearMonth, PeriodState> calendar) {
        for (PeriodState p : calendar.headMap(period).values()) {
            if (!CLOSED.equals(p.status())) {
                throw new ProblemException(
                        409,
                        "EARLIER_PERIOD_OPEN",
                        "period " + p.period() + " is still open; periods close in order");
            }
        }
    }

    /** Copies the lines and posts their journal, which is worked out beside the copy. */
    private void storeLinesAndJournal(Connection c, YearMonth period, List<StatementLine> lines)
            throws SQLException {
        long t0 = System.nanoTime();
        CompletableFuture<List<JournalEntry>> journal =
                CompletableFuture.supplyAsync(() -> Ledger.post(period, lines), computer.raters());
        statements.insertLines(c, period, lines, computer.raters());
        long tLines = System.nanoTime();
        ledger.post(c, journal.join());
        LOG.debugf(
                "%s: lines copied in %d ms, ledger posted in %d ms",
                period, (tLines - t0) / 1_000_000, (System.nanoTime() - tLines) / 1_000_000);
    }

    /**
     * The late usage this statement settled is no longer pending, nor the usage that licences
     * signed late newly cover; the agreements rating this period are kept.
     */
    private void recordWhatItSettled(
            Connection c, YearMonth period, Computed computed, RegistryReplica.Snapshot view)
            throws SQLException {
        rollups.settleLate(c, period);
        for (Map.Entry<YearMonth, Set<String>> licence : computed.lateLicences().entrySet()) {
            statements.recordAgreements(c, licence.getKey(), licence.getValue(), period);
        }
        statements.recordAgreements(c, period, inForce(period, view), null);
    }

    /** The ids of the agreements in force on at least one day of {@code period}. */
    private static List<String> inForce(YearMonth period, RegistryReplica.Snapshot view) {
        return view.agreements().stream()
                .filter(a -> a.daysInForce(period) > 0)
                .map(Agreement::id)
                .toList();
    }
}
