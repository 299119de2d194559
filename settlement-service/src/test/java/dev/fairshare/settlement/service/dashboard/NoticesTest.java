package dev.fairshare.settlement.service.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fairshare.settlement.service.SettlementService;
import java.time.YearMonth;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The dashboard's notices are made from fixed codes, never from what a link carries. */
class NoticesTest {
    static final YearMonth MAY = YearMonth.of(2026, 5);

    @Test
    void aCloseIsAnnouncedOnlyForAClosedPeriod() {
        var closed =
                new SettlementService.Statement(MAY, SettlementService.CLOSED, null, List.of());
        var open = new SettlementService.Statement(MAY, SettlementService.OPEN, null, List.of());
        assertThat(Notices.closed(Notices.CLOSED, MAY, closed, 0))
                .isEqualTo("Closed 2026-05: 0 statement lines are final.");
        assertThat(Notices.closed(Notices.CLOSED, MAY, closed, 2))
                .isEqualTo(
                        "Closed 2026-05: 0 statement lines are final; 2 groups of usage in another"
                                + " currency than their agreement's were not rated.");
        assertThat(Notices.closed(Notices.CLOSED, MAY, open, 0)).isNull();
        assertThat(Notices.closed("Call +1 555 0100", MAY, closed, 0)).isNull();
        assertThat(Notices.closed(null, MAY, closed, 0)).isNull();
    }

    @Test
    void aRefusedCloseSaysItsCodesSentenceOrAGeneralOne() {
        assertThat(Notices.closeRefused("PERIOD_CLOSED"))
                .isEqualTo("This period is closed already.");
        assertThat(Notices.closeRefused("sign in at evil.example"))
                .isEqualTo("The period could not be closed.");
        assertThat(Notices.closeRefused(null)).isNull();
    }

    @Test
    void aPayoutActionIsAnnouncedByItsCodeAndItsRun() {
        assertThat(PayoutDashboard.notice("created", 7L))
                .isEqualTo("Run 7 created as a draft: another finance user approves it.");
        assertThat(PayoutDashboard.notice("approved", 7L))
                .isEqualTo("Run 7 approved: download its payment file.");
        assertThat(PayoutDashboard.notice("cancelled", 7L))
                .isEqualTo("Run 7 cancelled: the balances stay on the ledger.");
        assertThat(PayoutDashboard.notice("settled", 7L)).isEqualTo("A line of run 7 is marked.");
        assertThat(PayoutDashboard.notice("paid you", 7L)).isNull();
        assertThat(PayoutDashboard.notice("created", null)).isNull();
    }
}
