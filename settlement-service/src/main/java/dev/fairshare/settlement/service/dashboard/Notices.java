package dev.fairshare.settlement.service.dashboard;

import dev.fairshare.settlement.service.SettlementService;
import java.time.YearMonth;
import java.util.Map;

/**
 * The finance page's notices after a close. The redirect carries a code only ({@code ?message=},
 * {@code ?error=}); the text is made here from the code and the period's state, so a link can never
 * make the page say something of its own.
 */
public final class Notices {
    /** The code of a successful close, in the redirect to the finance page. */
    public static final String CLOSED = "closed";

    private static final Map<String, String> REFUSALS =
            Map.of(
                    "PERIOD_CLOSED", "This period is closed already.",
                    "GRACE_PERIOD_NOT_OVER",
                            "The grace period for late usage is not over yet: tick the box to close"
                                    + " before it ends.",
                    "EARLIER_PERIOD_OPEN",
                            "An earlier period is still open: periods close in order.",
                    "CLOSE_IN_PROGRESS", "Another request is closing this period right now.",
                    "REGISTRY_INCOMPLETE",
                            "The registry data this service holds is incomplete for this period;"
                                    + " see the service log.",
                    "STARTING", "The service is still starting; try again in a few seconds.",
                    "POOL_MISSING",
                            "A subscription platform reported pooled usage for this period but"
                                    + " declared no revenue pool: it must declare one (revenue 0"
                                    + " if need be) before the close.");

    private Notices() {}

    /** The notice of a successful close of {@code period}, or null when there is none to give. */
    static String closed(
            String code,
            YearMonth period,
            SettlementService.Statement statement,
            int currencyMismatches) {
        if (!CLOSED.equals(code) || !SettlementService.CLOSED.equals(statement.status())) {
            return null;
        }
        return "Closed "
                + period
                + ": "
                + statement.lines().size()
                + " statement lines are final"
                + (currencyMismatches == 0
                        ? "."
                        : "; "
                                + currencyMismatches
                                + " groups of usage in another currency than their agreement's"
                                + " were not rated.");
    }

    /** The text of a refused close's code; any other code gets a general sentence, never itself. */
    static String closeRefused(String code) {
        if (code == null) {
            return null;
        }
        return REFUSALS.getOrDefault(code, "The period could not be closed.");
    }
}
