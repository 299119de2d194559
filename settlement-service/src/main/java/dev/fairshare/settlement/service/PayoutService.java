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
import dev.fairshare.settlement.store.Transactions;
import dev.fairshare.settlement.store.Transactions.DataAccessException;
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

    private final Transactions tx;
    private final PayoutStore store;
    private final LedgerStore ledger;
    private final PayoutConfig config;
    private final Clock clock = Clock.systemUTC();

    public PayoutService(
            Transactions tx, PayoutStore store, LedgerStore ledger, PayoutConfig config) {
        this.tx = tx;
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

    /**
     * One transaction; a unique key that a concurrent request took first is {@code 409 CONFLICT}.
     */
    private <T> T inTransaction(Transactions.Work<T> work) {
        try {
            return tx.inTransaction(work);
        } catch (DataAccessException e) {
            if ("23505".equals(e.sqlState())) {
                throw new ProblemException(
                        409, "CONFLICT", "another request changed the same payout data first");
            }
            throw e;
        }
    }

    // ---------------------------------------------------------------- profiles

    public Optional<ProfileWithHistory> profile(String makerId) {
        return inTransaction(
                c -> {
                    Optional<PayoutProfile> profile = store.profile(c, makerId, false);
                    return profile.isEmpty()
                            ? Optional.empty()
                            : Optional.of(
                                    new ProfileWithHistory(
                                            profile.get(), store.changes(c, makerId)));
                });
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
                    store.lockRuns(c);
                    refuseUnfinishedRun(c, currency);
                    Map<String, PayoutProfile> profiles = store.profiles(c);
                    List<Payouts.Maker> makers = makers(c, asOf, profiles);
                    List<FxRate> rates = store.rates(c, asOf, currency);
                    long runId = store.insertRun(c, currency, asOf, by, clock.instant());
                    Payouts.Plan plan = plan(currency, asOf, makers, rates, runId);
                    storePlan(c, runId, plan, profiles, rates);
                    return detail(c, store.run(c, runId, false).orElseThrow());
                });
    }

    /** One run at a time per currency: an unfinished one is finished or cancelled first. */
    private void refuseUnfinishedRun(Connection c, String currency) throws SQLException {
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
    }

    /**
     * Every maker with a balance at the end of {@code asOf}, its profile, and whether a run pays
     * it.
     */
    private List<Payouts.Maker> makers(
            Connection c, LocalDate asOf, Map<String, PayoutProfile> profiles) throws SQLException {
        Map<String, Map<String, BigDecimal>> balances = store.makerBalances(c, asOf);
        Set<String> busy = store.makersBeingPaid(c);
        List<Payouts.Maker> makers = new ArrayList<>();
        for (String id : new TreeSet<>(balances.keySet())) {
            PayoutProfile p = profiles.get(id);
            makers.add(
                    new Payouts.Maker(
                            id,
                            balances.get(id),
                            p == null
                                    ? null
                                    : new Payouts.Profile(p.currency().trim(), p.threshold()),
                            busy.contains(id)));
        }
        return makers;
    }

    /**
     * The run's plan at {@code asOf}'s rates; a balance in a currency without a rate that day is
     * {@code 422 FX_RATE_MISSING}, naming each pair.
     */
    private static Payouts.Plan plan(
            String currency,
            LocalDate asOf,
            List<Payouts.Maker> makers,
            List<FxRate> recorded,
            long runId) {
        Map<String, BigDecimal> rates = new TreeMap<>();
        recorded.forEach(r -> rates.put(r.base(), r.rate()));
        try {
            return Payouts.plan(currency, makers, rates, "payout-run-" + runId);
        } catch (Payouts.MissingRates e) {
            List<FieldError> errors = new ArrayList<>();
            for (String base : e.bases()) {
                errors.add(
                        new FieldError(
                                "asOf", "FX_RATE_MISSING", base + "/" + currency + " on " + asOf));
            }
            throw new ProblemException(
                    422,
                    "FX_RATE_MISSING",
                    "no FX rate recorded on "
                            + asOf
                            + " for "
                            + String.join(
                                    ", ", e.bases().stream().map(b -> b + "/" + currency).toList())
                            + " (POST /fx-rates)",
                    errors);
        }
    }

    /**
     * Stores the plan's lines (paid to the payee of the maker's profile now), their parts (with the
     * source of each rate used) and its carry-forwards.
     */
    private void storePlan(
            Connection c,
            long runId,
            Payouts.Plan plan,
            Map<String, PayoutProfile> profiles,
            List<FxRate> rates)
            throws SQLException {
        Map<String, String> sources = new TreeMap<>();
        rates.forEach(r -> sources.put(r.base(), r.source()));
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
                                    plan.currency(),
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
                                part.rate() == null ? null : sources.get(part.currency()),
                                part.converted()));
            }
        }
        for (Payouts.CarryForward cf : plan.carryForwards()) {
            store.insertCarryForward(
                    c,
                    new CarryForward(
                            runId, cf.makerId(), cf.currency(), cf.balance(), cf.reason().name()));
        }
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
                    PayoutLine line = line(detail, lineId);
                    if (!store.settleLine(
                            c, lineId, paid ? PAID : FAILED, reference, by, clock.instant())) {
                        throw new ProblemException(
                                409,
                                "LINE_SETTLED",
                                "line " + lineId + " is already " + line.status());
                    }
                    if (paid) {
                        postPayment(c, line, detail.parts().getOrDefault(lineId, List.of()));
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

    private static PayoutLine line(RunDetail run, long lineId) {
        return run.lines().stream()
                .filter(l -> l.id() == lineId)
                .findFirst()
                .orElseThrow(
                        () ->
                                ProblemException.notFound(
                                        "line of payout run " + run.run().id(),
                                        String.valueOf(lineId)));
    }

    /** A paid line's entries: its conversions through fx:clearing, then the receivable to cash. */
    private void postPayment(Connection c, PayoutLine line, List<PayoutPart> stored)
            throws SQLException {
        List<Payouts.Part> parts = new ArrayList<>();
        for (PayoutPart p : stored) {
            parts.add(new Payouts.Part(p.currency(), p.balance(), p.rate(), null, p.converted()));
        }
        ledger.postPayout(
                c,
                line.id(),
                Payouts.postings(
                        new Payouts.Line(line.makerId(), line.currency(), line.amount(), parts),
                        "payout run "
                                + line.runId()
                                + " line "
                                + line.id()
                                + ": "
                                + line.makerId()));
    }
}
