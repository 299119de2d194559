package dev.fairshare.settlement;

import static dev.fairshare.settlement.DashboardWorld.BASE;
import static dev.fairshare.settlement.DashboardWorld.DERIVED;
import static dev.fairshare.settlement.DashboardWorld.DERIVER;
import static dev.fairshare.settlement.DashboardWorld.JULY;
import static dev.fairshare.settlement.DashboardWorld.LONE;
import static dev.fairshare.settlement.DashboardWorld.MAKER;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fairshare.localstack.FairshareTestResource;
import dev.fairshare.settlement.service.dashboard.DashboardViews.Amount;
import dev.fairshare.settlement.service.dashboard.DashboardViews.Earning;
import dev.fairshare.settlement.service.dashboard.DashboardViews.LineageRow;
import dev.fairshare.settlement.service.dashboard.DashboardViews.MakerPage;
import dev.fairshare.settlement.service.dashboard.DashboardViews.MakerView;
import dev.fairshare.settlement.service.dashboard.DashboardViews.Name;
import dev.fairshare.settlement.service.dashboard.DashboardViews.Period;
import dev.fairshare.settlement.service.dashboard.DashboardViews.PeriodTotal;
import dev.fairshare.settlement.service.dashboard.DashboardViews.ProposalRow;
import dev.fairshare.settlement.service.dashboard.DashboardViews.Uncovered;
import dev.fairshare.settlement.service.dashboard.DashboardViews.UnratedRow;
import dev.fairshare.settlement.service.dashboard.MakerDashboard;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The maker page's view model, made by {@link MakerDashboard} from the statements and the registry
 * of {@link DashboardWorld}, against the figures worked out by hand there.
 */
@QuarkusTest
@QuarkusTestResource(
        value = FairshareTestResource.class,
        initArgs = @ResourceArg(name = "database", value = "settlement"))
class MakerDashboardTest {
    static final YearMonth NOW = YearMonth.now(ZoneOffset.UTC);

    @Inject MakerDashboard dashboard;

    /** The row of July's total in USD, earned {@code text}. */
    static PeriodTotal julyTotal(String text) {
        return new PeriodTotal(
                "2026-07",
                "OPEN",
                "USD",
                text,
                "total-2026-07-USD",
                "/dashboard/lines/2026-07?currency=USD");
    }

    @Inject ObjectMapper mapper;

    @BeforeEach
    void world() {
        DashboardWorld.seed();
    }

    @Test
    void adaSeesHerEarningsTheirSourcesAndHerModels() {
        MakerView view = dashboard.view("ada", MAKER, JULY);
        MakerPage page = view.page();
        assertThat(page.user()).isEqualTo("ada");
        assertThat(page.makerId()).isEqualTo(MAKER);
        assertThat(page.makerName()).isEqualTo("Ada Models");
        assertThat(page.period()).isEqualTo("2026-07");
        assertThat(page.accrualPeriod()).isEqualTo(NOW.toString());
        // 0.2 x 10.00 this month
        assertThat(page.accrual()).containsExactly(new Amount("USD", "$2.00", "accrual-USD"));
        // 30.10 + 4.00 in July, nothing from August on until this month
        assertThat(page.totals())
                .containsExactly(
                        julyTotal("$34.10"),
                        new PeriodTotal(
                                NOW.toString(),
                                "OPEN",
                                "USD",
                                "$2.00",
                                "total-" + NOW + "-USD",
                                "/dashboard/lines/" + NOW + "?currency=USD"));
        assertThat(page.earnings())
                .containsExactlyInAnyOrder(
                        new Earning(
                                "ROYALTY",
                                BASE,
                                BASE,
                                "Fjord Cloud",
                                "USD",
                                "$30.10",
                                "/dashboard/lines/2026-07?kind=ROYALTY&platformId=dv-fjord"
                                        + "&currency=USD&modelId=dv-base&sourceModelId=dv-base"),
                        new Earning(
                                "UPSTREAM_ROYALTY",
                                BASE,
                                DERIVED,
                                "Fjord Cloud",
                                "USD",
                                "$4.00",
                                "/dashboard/lines/2026-07?kind=UPSTREAM_ROYALTY&platformId=dv-fjord"
                                        + "&currency=USD&modelId=dv-base&sourceModelId=dv-derived"));
        assertThat(page.lineage())
                .containsExactly(
                        new LineageRow(0, BASE, MAKER, null, true),
                        new LineageRow(0, LONE, MAKER, null, true),
                        new LineageRow(
                                0,
                                DERIVED + " (derived from " + BASE + ")",
                                DERIVER,
                                "0.1",
                                false));
        assertThat(page.unlicensed())
                .containsExactly(
                        new Uncovered(
                                new UnratedRow("2026-07", "Gale AI", LONE, 3, "$12.00"),
                                "COMMERCIAL",
                                true,
                                "2026-07-06 – 2026-07-06"));
        assertThat(page.mismatches()).containsExactly(DashboardWorld.ADA_EUR);
        assertThat(page.names())
                .containsExactly(
                        new Name(BASE, "dv-base-g", "Gale AI", "2026-07-01"),
                        new Name(BASE, "dv-base-v1", "every platform", "always"));
        assertThat(page.proposals())
                .containsExactly(
                        new ProposalRow(
                                "proposal-" + DashboardWorld.PROPOSAL,
                                "dv-lone/pro",
                                "Gale AI",
                                LONE,
                                "PROPOSED",
                                "2026-07-02T08:00:00Z",
                                null));
        // no pool paid her, and her unlicensed usage is not a pool's share
        assertThat(view.pools().earnings()).isEmpty();
        assertThat(view.pools().unpaid()).isEmpty();
    }

    @Test
    void thePeriodsAreNewestFirstWithTheSelectedOneMarked() {
        List<Period> periods = dashboard.view("ada", MAKER, JULY).page().periods();
        assertThat(periods.get(0)).isEqualTo(new Period(NOW.toString(), null, null, false));
        assertThat(periods.stream().filter(Period::selected))
                .containsExactly(new Period("2026-07", null, null, true));
        List<String> names = periods.stream().map(Period::period).toList();
        List<String> newestFirst = new ArrayList<>(names);
        newestFirst.sort(Comparator.reverseOrder());
        assertThat(names).isEqualTo(newestFirst).doesNotHaveDuplicates();
    }

    @Test
    void theChartStacksHerPlatformPerCurrencyOverEveryPeriod() throws Exception {
        MakerPage page = dashboard.view("ada", MAKER, JULY).page();
        JsonNode chart = mapper.readTree(page.chartJson());
        List<String> periods = new ArrayList<>();
        chart.get("periods").forEach(p -> periods.add(p.asText()));
        List<String> oldestFirst =
                new ArrayList<>(page.periods().stream().map(Period::period).toList());
        Collections.reverse(oldestFirst);
        assertThat(periods).isEqualTo(oldestFirst);
        assertThat(chart.get("series")).hasSize(1);
        JsonNode fjord = chart.get("series").get(0);
        assertThat(fjord.get("name").asText()).isEqualTo("Fjord Cloud (USD)");
        assertThat(fjord.get("stack").asText()).isEqualTo("USD");
        List<String> expected = new ArrayList<>();
        for (String p : periods) {
            expected.add(p.equals("2026-07") ? "34.10" : p.equals(NOW.toString()) ? "2.00" : "0");
        }
        List<String> data = new ArrayList<>();
        fjord.get("data").forEach(d -> data.add(d.asText()));
        assertThat(data).isEqualTo(expected);
    }

    @Test
    void deeSeesHerOwnShareAndAdasModelAsItsAncestorOnly() {
        MakerPage page = dashboard.view("dee", DERIVER, JULY).page();
        assertThat(page.makerName()).isEqualTo("Dee Labs");
        // 40.00 less Ada's 4.00
        assertThat(page.totals()).containsExactly(julyTotal("$36.00"));
        assertThat(page.accrual()).isEmpty();
        assertThat(page.earnings())
                .containsExactly(
                        new Earning(
                                "ROYALTY",
                                DERIVED,
                                DERIVED,
                                "Fjord Cloud",
                                "USD",
                                "$36.00",
                                "/dashboard/lines/2026-07?kind=ROYALTY&platformId=dv-fjord"
                                        + "&currency=USD&modelId=dv-derived&sourceModelId=dv-derived"));
        assertThat(page.lineage())
                .containsExactly(
                        new LineageRow(0, DERIVED, DERIVER, null, true),
                        new LineageRow(1, BASE, MAKER, "0.1", false));
        assertThat(page.unlicensed()).isEmpty();
        assertThat(page.mismatches()).isEmpty();
        assertThat(page.names()).isEmpty();
        assertThat(page.proposals()).isEmpty();
    }

    @Test
    void aPeriodWithoutHerLinesHasNoSources() {
        MakerPage page = dashboard.view("ada", MAKER, YearMonth.of(2026, 9)).page();
        assertThat(page.period()).isEqualTo("2026-09");
        assertThat(page.earnings()).isEmpty();
        // the totals and the accrual do not depend on the selected period
        assertThat(page.totals()).extracting(PeriodTotal::text).containsExactly("$34.10", "$2.00");
        assertThat(page.accrual()).containsExactly(new Amount("USD", "$2.00", "accrual-USD"));
    }
}
