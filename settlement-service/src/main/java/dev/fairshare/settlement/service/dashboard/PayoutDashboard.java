package dev.fairshare.settlement.service.dashboard;

import dev.fairshare.settlement.service.PayeeDetails;
import dev.fairshare.settlement.service.PayoutService;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * The dashboard's payout page: every run with its lines and carry-forwards for finance, the runs
 * that pay a maker with that maker's lines only for the maker; account numbers masked. Its notices
 * are made here from fixed codes, never from the query's text.
 */
@ApplicationScoped
public class PayoutDashboard {
    private static final Map<String, String> REFUSALS =
            Map.of(
                    "RUN_IN_PROGRESS",
                            "Another run in this currency is not finished yet: finish or cancel it"
                                    + " first.",
                    "FX_RATE_MISSING",
                            "A conversion needs an FX rate for the run's as-of day: record it"
                                    + " (POST /fx-rates) and create the run again.",
                    "SAME_USER", "A run is approved by another finance user than its creator.",
                    "INVALID_RUN_STATUS", "The run is not in a state that allows this.",
                    "LINE_SETTLED", "This line is settled already.",
                    "INVALID_DATE", "The as-of day must be a date such as 2026-11-30.",
                    "INVALID_CURRENCY", "The currency must be an ISO 4217 code such as USD.",
                    "VALIDATION_FAILED", "A paid line needs the payment's bank reference.",
                    "CONFLICT", "Another request changed the same run first: look again.");

    /** One payout line of a run, with the paths of its forms. */
    public record Line(
            long runId,
            long id,
            String makerId,
            String payeeName,
            boolean payeeChanged,
            String account,
            String amount,
            String status,
            String reference) {
        public String paidAction() {
            return "/dashboard/payouts/" + runId + "/lines/" + id + "/paid";
        }

        public String failedAction() {
            return "/dashboard/payouts/" + runId + "/lines/" + id + "/failed";
        }

        public String paidId() {
            return "paid-" + id;
        }

        public String failedId() {
            return "failed-" + id;
        }
    }

    /** A run as the viewer sees it: its own lines only for a maker. */
    public record Run(
            long id,
            String currency,
            String asOf,
            String status,
            String createdBy,
            String approvedBy,
            int lineCount,
            String total,
            List<Line> lines,
            List<String> carried) {
        public String approveAction() {
            return "/dashboard/payouts/" + id + "/approve";
        }

        public String cancelAction() {
            return "/dashboard/payouts/" + id + "/cancel";
        }

        public String approveId() {
            return "approve-" + id;
        }

        public String cancelId() {
            return "cancel-" + id;
        }
    }

    /** The page: {@code finance} shows the forms; {@code message} and {@code error} its notices. */
    public record Page(
            String user, boolean finance, List<Run> runs, String message, String error) {}

    private final PayoutService payouts;

    public PayoutDashboard(PayoutService payouts) {
        this.payouts = payouts;
    }

    /**
     * The page for {@code user}: finance's when {@code makerId} is null, else that maker's; {@code
     * done} with {@code runId} is the code of an action that was done, {@code error} the code of
     * one that was refused.
     */
    public Page page(String user, String makerId, String done, Long runId, String error) {
        List<Run> runs =
                payouts.runs(null).stream()
                        .map(r -> run(r, makerId))
                        .filter(r -> makerId == null || !r.lines().isEmpty())
                        .toList();
        return new Page(
                user,
                makerId == null,
                runs,
                notice(done, runId),
                error == null ? null : REFUSALS.getOrDefault(error, "The action was refused."));
    }

    /** Creates a draft run (see {@link PayoutService#createRun}) and answers its id. */
    public long create(String currency, LocalDate asOf, String by) {
        return payouts.createRun(currency, asOf, by).run().id();
    }

    /** The sentence of a done action; a code it does not know says nothing. */
    static String notice(String done, Long runId) {
        if (done == null || runId == null) {
            return null;
        }
        return switch (done) {
            case "created" ->
                    "Run " + runId + " created as a draft: another finance user approves it.";
            case "approved" -> "Run " + runId + " approved: download its payment file.";
            case "cancelled" -> "Run " + runId + " cancelled: the balances stay on the ledger.";
            case "settled" -> "A line of run " + runId + " is marked.";
            default -> null;
        };
    }

    /** {@code d} as {@code makerId} sees it (every line when it is null). */
    static Run run(PayoutService.RunDetail d, String makerId) {
        var r = d.run();
        var own =
                d.lines().stream()
                        .filter(l -> makerId == null || makerId.equals(l.makerId()))
                        .toList();
        List<Line> lines =
                own.stream()
                        .map(
                                l ->
                                        new Line(
                                                r.id(),
                                                l.id(),
                                                l.makerId(),
                                                l.payeeName(),
                                                l.payeeChanged(),
                                                l.iban() != null
                                                        ? PayeeDetails.maskIban(l.iban())
                                                        : PayeeDetails.maskAccount(
                                                                l.providerAccount()),
                                                Money.minorUnits(l.amount(), l.currency()),
                                                l.status(),
                                                l.reference()))
                        .toList();
        List<String> carried =
                d.carryForwards().stream()
                        .filter(cf -> makerId == null || makerId.equals(cf.makerId()))
                        .map(
                                cf ->
                                        cf.makerId()
                                                + ": "
                                                + Money.minorUnits(cf.balance(), cf.currency())
                                                + " "
                                                + cf.currency()
                                                + " ("
                                                + cf.reason()
                                                + ")")
                        .toList();
        BigDecimal total =
                own.stream().map(l -> l.amount()).reduce(BigDecimal.ZERO, BigDecimal::add);
        return new Run(
                r.id(),
                r.currency(),
                r.asOf().toString(),
                r.status(),
                r.createdBy(),
                r.approvedBy(),
                own.size(),
                Money.minorUnits(total, r.currency()),
                lines,
                carried);
    }
}
