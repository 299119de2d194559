package dev.fairshare.settlement.service;

import dev.fairshare.settlement.config.PayoutConfig;
import dev.fairshare.settlement.domain.CarryForward;
import dev.fairshare.settlement.domain.FxRate;
import dev.fairshare.settlement.domain.PayoutLine;
import dev.fairshare.settlement.domain.PayoutPart;
import dev.fairshare.settlement.domain.PayoutProfile;
import dev.fairshare.settlement.domain.PayoutRun;
import dev.fairshare.settlement.domain.PeriodTotal;
import dev.fairshare.settlement.domain.ProfileChange;
import dev.fairshare.settlement.engine.Payouts;
import dev.fairshare.settlement.problem.FieldError;
import dev.fairshare.settlement.problem.ProblemException;
import dev.fairshare.settlement.store.LedgerStore;
import dev.fairshare.settlement.store.PayoutStore;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Payouts (DESIGN.md "Payouts"): profiles, FX rates, and runs from DRAFT through APPROVED (by a
 * second FINANCE user) and EXPORTED to COMPLETED once every line is PAID or FAILED. The run's
 * arithmetic is {@link Payouts}'; a PAID line posts its entries, a FAILED one posts nothing, so its
 * amount stays on the maker's balance for the next run.
 */
@ApplicationScoped
public class PayoutService {
    public static final String DRAFT = "DRAFT";
    public static final String APPROVED = "APPROVED";
    public static final String EXPORTED = "EXPORTED";
    public static final String COMPLETED = "COMPLETED";
    public static final String CANCELLED = "CANCELLED";
    public static final String PAID = "PAID";
    public static final String FAILED = "FAILED";

    private final AgroalDataSource dataSource;
    private final PayoutStore store;
    private final LedgerStore ledger;
    private final PayoutConfig config;
    private final Clock clock = Clock.systemUTC();

    public PayoutService(
            AgroalDataSource dataSource,
            PayoutStore store,
            LedgerStore ledger,
            PayoutConfig config) {
        this.dataSource = dataSource;
        this.store = store;
        this.ledger = ledger;
        this.config = config;
    }

    /** A profile with its change history. */
    public record ProfileWithHistory(PayoutProfile profile, List<ProfileChange> changes) {}

    /** A run with its lines (and their parts) and carry-forwards. */
    public record RunDetail(
            PayoutRun run,
            List<PayoutLine> lines,
            Map<Long, List<PayoutPart>> parts,
            List<CarryForward> carryForwards) {}

    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** One transaction: committed when {@code work} returns, rolled back when it throws. */
    <T> T inTransaction(Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            if ("23505".equals(e.getSQLState())) {
                throw new ProblemException(
                        409, "CONFLICT", "another request changed the same payout data first");
            }
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------- profiles

    public Optional<ProfileWithHistory> profile(String makerId) {
        return inTransaction(
                c ->
                        store.profile(c, makerId, false)
                                .map(p -> new ProfileWithHistory(p, history(c, makerId))));
    }

    private List<ProfileChange> history(Connection c, String makerId) {
        try {
            return store.changes(c, makerId);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Creates or replaces a maker's profile and records the change (masked). */
    public ProfileWithHistory saveProfile(String makerId, PayeeDetails details, String by) {
        return inTransaction(
                c -> {
                    Optional<PayoutProfile> old = store.profile(c, makerId, true);
                    Instant now = clock.instant();
                    store.saveProfile(
                            c,
                            new PayoutProfile(
                                    makerId,
                                    details.currency(),
                                    details.threshold(),
                                    details.payeeName(),
                                    details.iban(),
                                    details.bic(),
                                    details.providerAccount(),
                                    now,
                                    by));
                    PayeeDetails before = old.map(PayoutService::details).orElse(null);
                    if (!details.equals(before)) {
                        store.recordChange(
                                c,
                                makerId,
                                new ProfileChange(
                                        now,
                                        by,
                                        before == null ? null : before.masked(),
                                        details.masked()));
                    }
                    return new ProfileWithHistory(
                            store.profile(c, makerId, false).orElseThrow(),
                            store.changes(c, makerId));
                });
    }

    static PayeeDetails details(PayoutProfile p) {
        return new PayeeDetails(
                p.currency().trim(),
                p.threshold()
                        .setScale(
                                dev.fairshare.settlement.engine.Rounding.fractionDigits(
                                        p.currency().trim()),
                                java.math.RoundingMode.UNNECESSARY),
                p.payeeName(),
                p.iban(),
                p.bic(),
                p.providerAccount());
    }

    public BigDecimal defaultThreshold(String currency) {
        return config.threshold(currency);
    }

    // ---------------------------------------------------------------- FX rates

    public FxRate recordRate(
            LocalDate date, String base, String quote, BigDecimal rate, String source, String by) {
        FxRate r = new FxRate(date, base, quote, rate, source, by, clock.instant());
        return inTransaction(
                c -> {
                    if (!store.insertRate(c, r)) {
                        throw new ProblemException(
                                409,
                                "RATE_EXISTS",
                                "a rate for "
                                        + base
                                        + "/"
                                        + quote
                                        + " on "
                                        + date
                                        + " is already recorded; runs keep the rate they used");
                    }
                    return r;
                });
    }

    public List<FxRate> rates(LocalDate date, String quote) {
        return inTransaction(c -> store.rates(c, date, quote));
    }

    // ---------------------------------------------------------------- runs

    /**
     * Plans and stores a DRAFT run of {@code currency} from the balances at the end of {@code
     * asOf}.
     */
    public RunDetail createRun(String currency, LocalDate asOf, String by) {
        return inTransaction(
                c -> {
                    // runs are created one at a time
                    try (var s = c.createStatement()) {
                        s.execute("lock table payout_run in share row exclusive mode");
                    }
                    Optional<PayoutRun> open = store.unfinishedRun(c, currency);
                    if (open.isPresent()) {
                        throw new ProblemException(
                                409,
                                "RUN_IN_PROGRESS",
                                "payout run "
                                        + open.get().id()
                                        + " in "
                                        + currency
                                        + " is "
                                        + open.get().status()
                                        + "; finish or cancel it first");
                    }
                    Map<String, PayoutProfile> profiles = store.profiles(c);
                    Map<String, Map<String, BigDecimal>> balances = store.makerBalances(c, asOf);
                    Set<String> busy = store.makersBeingPaid(c);
                    Set<String> makerIds = new TreeSet<>(balances.keySet());
                    List<Payouts.Maker> makers = new ArrayList<>();
                    for (String id : makerIds) {
                        PayoutProfile p = profiles.get(id);
                        makers.add(
                                new Payouts.Maker(
                                        id,
                                        balances.get(id),
                                        p == null
                                                ? null
                                                : new Payouts.Profile(
                                                        p.currency().trim(), p.threshold()),
                                        busy.contains(id)));
                    }
                    Map<String, BigDecimal> rates = new TreeMap<>();
                    Map<String, String> sources = new TreeMap<>();
                    for (FxRate r : store.rates(c, asOf, currency)) {
                        rates.put(r.base(), r.rate());
                        sources.put(r.base(), r.source());
                    }
                    Instant now = clock.instant();
                    long runId = store.insertRun(c, currency, asOf, by, now);
                    Payouts.Plan plan;
                    try {
                        plan = Payouts.plan(currency, makers, rates, "payout-run-" + runId);
                    } catch (Payouts.MissingRates e) {
                        List<FieldError> errors = new ArrayList<>();
                        for (String base : e.bases()) {
                            errors.add(
                                    new FieldError(
                                            "asOf",
                                            "FX_RATE_MISSING",
                                            base + "/" + currency + " on " + asOf));
                        }
                        throw new ProblemException(
                                422,
                                "FX_RATE_MISSING",
                                "no FX rate recorded on "
                                        + asOf
                                        + " for "
                                        + String.join(
                                                ", ",
                                                e.bases().stream()
                                                        .map(b -> b + "/" + currency)
                                                        .toList())
                                        + " (POST /fx-rates)",
                                errors);
                    }
                    for (Payouts.Line line : plan.lines()) {
                        PayoutProfile p = profiles.get(line.makerId());
                        long lineId =
                                store.insertLine(
                                        c,
                                        new PayoutLine(
                                                0,
                                                runId,
                                                line.makerId(),
                                                line.amount(),
                                                currency,
                                                p.payeeName(),
                                                p.iban(),
                                                p.bic(),
                                                p.providerAccount(),
                                                store.payeeChangedSinceLastRun(c, line.makerId()),
                                                "PENDING",
                                                null,
                                                null,
                                                null));
                        for (Payouts.Part part : line.parts()) {
                            store.insertPart(
                                    c,
                                    new PayoutPart(
                                            lineId,
                                            part.currency(),
                                            part.balance(),
                                            part.rate(),
                                            part.rate() == null
                                                    ? null
                                                    : sources.get(part.currency()),
                                            part.converted()));
                        }
                    }
                    for (Payouts.CarryForward cf : plan.carryForwards()) {
                        store.insertCarryForward(
                                c,
                                new CarryForward(
                                        runId,
                                        cf.makerId(),
                                        cf.currency(),
                                        cf.balance(),
                                        cf.reason().name()));
                    }
                    return detail(c, store.run(c, runId, false).orElseThrow());
                });
    }

    public Optional<RunDetail> run(long id) {
        return inTransaction(
                c -> {
                    Optional<PayoutRun> run = store.run(c, id, false);
                    return run.isEmpty() ? Optional.empty() : Optional.of(detail(c, run.get()));
                });
    }

    /** The statement totals of the periods a run covers for a maker. */
    public List<PeriodTotal> periodsCovered(PayoutRun run, String makerId) {
        return inTransaction(c -> store.periodsCovered(c, run, makerId));
    }

    public List<RunDetail> runs(String status) {
        return inTransaction(
                c -> {
                    List<RunDetail> out = new ArrayList<>();
                    for (PayoutRun r : store.runs(c, status)) {
                        out.add(detail(c, r));
                    }
                    return out;
                });
    }

    private RunDetail detail(Connection c, PayoutRun run) throws SQLException {
        Map<Long, List<PayoutPart>> parts = new TreeMap<>();
        for (PayoutPart p : store.parts(c, run.id())) {
            parts.computeIfAbsent(p.lineId(), k -> new ArrayList<>()).add(p);
        }
        return new RunDetail(
                run, store.lines(c, run.id()), parts, store.carryForwards(c, run.id()));
    }

    private PayoutRun locked(Connection c, long id) throws SQLException {
        return store.run(c, id, true)
                .orElseThrow(() -> ProblemException.notFound("payout run", String.valueOf(id)));
    }

    private static ProblemException wrongStatus(PayoutRun run, String action) {
        return new ProblemException(
                409,
                "INVALID_RUN_STATUS",
                "payout run " + run.id() + " is " + run.status() + ": it cannot be " + action);
    }

    /** Four eyes: a FINANCE user other than the run's creator approves a DRAFT. */
    public RunDetail approve(long id, String by) {
        return inTransaction(
                c -> {
                    PayoutRun run = locked(c, id);
                    if (!DRAFT.equals(run.status())) {
                        throw wrongStatus(run, "approved");
                    }
                    if (run.createdBy().equals(by)) {
                        throw new ProblemException(
                                409,
                                "SAME_USER",
                                "payout run "
                                        + id
                                        + " was created by "
                                        + by
                                        + ": another FINANCE user approves it");
                    }
                    store.approve(c, id, by, clock.instant());
                    return detail(c, store.run(c, id, false).orElseThrow());
                });
    }

    /** A run not yet exported may be cancelled: its balances stay on the ledger. */
    public RunDetail cancel(long id) {
        return inTransaction(
                c -> {
                    PayoutRun run = locked(c, id);
                    if (!DRAFT.equals(run.status()) && !APPROVED.equals(run.status())) {
                        throw wrongStatus(run, "cancelled");
                    }
                    store.setStatus(c, id, CANCELLED);
                    return detail(c, store.run(c, id, false).orElseThrow());
                });
    }

    /** The run for its payment file: APPROVED or EXPORTED; it is EXPORTED from then on. */
    public RunDetail export(long id) {
        return inTransaction(
                c -> {
                    PayoutRun run = locked(c, id);
                    if (!APPROVED.equals(run.status()) && !EXPORTED.equals(run.status())) {
                        throw wrongStatus(run, "exported (it must be APPROVED first)");
                    }
                    store.export(c, id, clock.instant());
                    if (store.lines(c, id).isEmpty()) {
                        // nothing to pay: the run is done with its file
                        store.setStatus(c, id, COMPLETED);
                    }
                    return detail(c, store.run(c, id, false).orElseThrow());
                });
    }

    /**
     * Marks a line of an EXPORTED run PAID (posting its entries: conversions through fx:clearing,
     * then the receivable to cash) or FAILED (nothing posted). The run is COMPLETED once no line is
     * PENDING.
     */
    public RunDetail settle(long runId, long lineId, boolean paid, String reference, String by) {
        return inTransaction(
                c -> {
                    PayoutRun run = locked(c, runId);
                    if (!EXPORTED.equals(run.status())) {
                        throw wrongStatus(run, "paid (its payment file is not exported)");
                    }
                    RunDetail detail = detail(c, run);
                    PayoutLine line =
                            detail.lines().stream()
                                    .filter(l -> l.id() == lineId)
                                    .findFirst()
                                    .orElseThrow(
                                            () ->
                                                    ProblemException.notFound(
                                                            "line of payout run " + runId,
                                                            String.valueOf(lineId)));
                    if (!store.settleLine(
                            c, lineId, paid ? PAID : FAILED, reference, by, clock.instant())) {
                        throw new ProblemException(
                                409,
                                "LINE_SETTLED",
                                "line " + lineId + " is already " + line.status());
                    }
                    if (paid) {
                        List<Payouts.Part> parts = new ArrayList<>();
                        for (PayoutPart p : detail.parts().getOrDefault(lineId, List.of())) {
                            parts.add(
                                    new Payouts.Part(
                                            p.currency(),
                                            p.balance(),
                                            p.rate(),
                                            null,
                                            p.converted()));
                        }
                        ledger.postPayout(
                                c,
                                lineId,
                                Payouts.postings(
                                        new Payouts.Line(
                                                line.makerId(),
                                                line.currency(),
                                                line.amount(),
                                                parts),
                                        "payout run "
                                                + runId
                                                + " line "
                                                + lineId
                                                + ": "
                                                + line.makerId()));
                    }
                    boolean pending =
                            detail.lines().stream()
                                    .anyMatch(
                                            l -> l.id() != lineId && "PENDING".equals(l.status()));
                    if (!pending) {
                        store.setStatus(c, runId, COMPLETED);
                    }
                    return detail(c, store.run(c, runId, false).orElseThrow());
                });
    }
}
