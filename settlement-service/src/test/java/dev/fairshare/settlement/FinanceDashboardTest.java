package dev.fairshare.settlement;

import static dev.fairshare.settlement.DashboardWorld.DERIVER;
import static dev.fairshare.settlement.DashboardWorld.FJORD;
import static dev.fairshare.settlement.DashboardWorld.GALE;
import static dev.fairshare.settlement.DashboardWorld.JULY;
import static dev.fairshare.settlement.DashboardWorld.MAKER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fairshare.localstack.FairshareTestResource;
import dev.fairshare.settlement.service.dashboard.DashboardViews.FinancePage;
import dev.fairshare.settlement.service.dashboard.DashboardViews.PartyAmount;
import dev.fairshare.settlement.service.dashboard.DashboardViews.Period;
import dev.fairshare.settlement.service.dashboard.FinanceDashboard;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The finance page's view model, made by {@link FinanceDashboard} from July 2026 of {@link
 * DashboardWorld} (the service's other tests add parties of their own: the rows of this world are
 * picked out by their ids).
 */
@QuarkusTest
@QuarkusTestResource(
        value = FairshareTestResource.class,
        initArgs = @ResourceArg(name = "database", value = "settlement"))
class FinanceDashboardTest {
    @Inject FinanceDashboard dashboard;

    @BeforeEach
    void world() {
        DashboardWorld.seed();
    }

    @Test
    void julysInvoicesPayoutsAndMismatches() {
        FinancePage page = dashboard.view("fin", "no-token", JULY, null, null).page();
        assertThat(page.user()).isEqualTo("fin");
        assertThat(page.period()).isEqualTo("2026-07");
        assertThat(page.status()).isEqualTo("OPEN");
        assertThat(page.csvHref()).isEqualTo("/dashboard/finance/settlement.csv?period=2026-07");
        // Fjord owes 30.10 + 4.00 + 36.00; Gale nothing (its usage has no agreement)
        assertThat(page.invoices())
                .filteredOn(a -> Set.of(FJORD, GALE).contains(a.id()))
                .containsExactly(
                        new PartyAmount(
                                FJORD, "Fjord Cloud", "USD", "$70.10", "invoice-dv-fjord-USD"));
        assertThat(page.payouts())
                .filteredOn(a -> Set.of(MAKER, DERIVER).contains(a.id()))
                .containsExactlyInAnyOrder(
                        new PartyAmount(MAKER, "Ada Models", "USD", "$34.10", "payout-dv-ada-USD"),
                        new PartyAmount(DERIVER, "Dee Labs", "USD", "$36.00", "payout-dv-dee-USD"));
        assertThat(page.mismatches())
                .filteredOn(m -> m.usage().platform().equals("Fjord Cloud"))
                .containsExactly(DashboardWorld.ADA_EUR);
        assertThat(page.message()).isNull();
        assertThat(page.error()).isNull();
    }

    @Test
    void everyPeriodNewestFirstWithTheSelectedOneMarked() {
        List<Period> periods = dashboard.view("fin", "no-token", JULY, null, null).page().periods();
        assertThat(periods.stream().filter(Period::selected))
                .containsExactly(new Period("2026-07", "OPEN", "", true));
        List<String> names = periods.stream().map(Period::period).toList();
        List<String> newestFirst = new ArrayList<>(names);
        newestFirst.sort(Comparator.reverseOrder());
        assertThat(names).isEqualTo(newestFirst).doesNotHaveDuplicates();
        // a period the service does not know yet is listed, open, when it is the one asked for
        YearMonth later = YearMonth.of(2199, 1);
        assertThat(dashboard.view("fin", "no-token", later, null, null).page().periods().get(0))
                .isEqualTo(new Period("2199-01", "OPEN", "", true));
    }

    @Test
    void theNoticesComeFromCodesAndTheClosedOneOnlyForAClosedPeriod() {
        FinancePage page =
                dashboard.view("fin", "no-token", JULY, "closed", "EARLIER_PERIOD_OPEN").page();
        // July is open: no "Closed" notice, whatever the query says
        assertThat(page.message()).isNull();
        assertThat(page.error())
                .isEqualTo("An earlier period is still open: periods close in order.");
        assertThat(dashboard.view("fin", "no-token", JULY, "hello", "Call us").page().error())
                .isEqualTo("The period could not be closed.");
    }

    @Test
    void usageServicesListsSayWhyTheyAreMissingRatherThanFailTheView() {
        // usage-service does not run beside these tests, and would refuse this token anyway
        FinancePage page = dashboard.view("fin", "no-token", JULY, null, null).page();
        assertThat(page.unattributed()).isEmpty();
        assertThat(page.unattributedError()).startsWith("usage-service did not answer: ");
        assertThat(page.quarantined()).isEmpty();
        assertThat(page.quarantineError()).startsWith("usage-service did not answer: ");
    }
}
