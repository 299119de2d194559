package dev.fairshare.settlement.engine;

import static dev.fairshare.settlement.engine.CustomerType.COMMERCIAL;
import static dev.fairshare.settlement.engine.CustomerType.NON_COMMERCIAL;
import static dev.fairshare.settlement.engine.Fixtures.NOVEMBER;
import static dev.fairshare.settlement.engine.Fixtures.d;
import static dev.fairshare.settlement.engine.Fixtures.nov;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CoverageTest {

    private static final Map<String, ModelInfo> MODELS =
            Map.of(
                    "research", new ModelInfo("research", "lab", false, List.of()),
                    "open", new ModelInfo("open", "lab", true, List.of()));

    /** An agreement for "open" that starts on 16 November. */
    private static final List<Agreement> AGREEMENTS =
            List.of(
                    new Agreement(
                            "a1",
                            "lab",
                            "acme",
                            "open",
                            "USD",
                            nov(16),
                            null,
                            new RevenueShare(d("0.10")),
                            null));

    private static UsageRow row(
            String modelId, int day, CustomerType customerType, String revenue, String tokens) {
        return new UsageRow(
                "acme",
                modelId,
                nov(day),
                customerType,
                "USD",
                2,
                d(revenue),
                Map.of("tokens", d(tokens)));
    }

    @Test
    void usageWithoutAnAgreementIsSummedPerPlatformModelCustomerTypeAndCurrency() {
        List<UsageRow> usage =
                List.of(
                        row("research", 20, COMMERCIAL, "1.50", "100"),
                        row("research", 3, COMMERCIAL, "2.50", "50"),
                        row("research", 9, NON_COMMERCIAL, "1.00", "10"),
                        row("open", 15, COMMERCIAL, "7.00", "70"),
                        row("open", 16, COMMERCIAL, "8.00", "80"));

        List<UncoveredUsage> uncovered =
                new Coverage(NOVEMBER, AGREEMENTS, MODELS).uncovered(usage);

        assertThat(uncovered)
                .extracting(
                        UncoveredUsage::modelId,
                        UncoveredUsage::customerType,
                        UncoveredUsage::complianceFinding)
                .containsExactly(
                        tuple("open", COMMERCIAL, false),
                        tuple("research", COMMERCIAL, true),
                        tuple("research", NON_COMMERCIAL, false));
        assertThat(uncovered.get(0).lastDay()).isEqualTo(nov(15));
        assertThat(uncovered.get(0).revenue()).isEqualByComparingTo(d("7.00"));
        UncoveredUsage finding = uncovered.get(1);
        assertThat(finding.makerId()).isEqualTo("lab");
        assertThat(finding.events()).isEqualTo(4);
        assertThat(finding.revenue()).isEqualByComparingTo(d("4.00"));
        assertThat(finding.units()).containsOnlyKeys("tokens");
        assertThat(finding.units().get("tokens")).isEqualByComparingTo(d("150"));
        assertThat(finding.firstDay()).isEqualTo(nov(3));
        assertThat(finding.lastDay()).isEqualTo(nov(20));
    }

    @Test
    void revenueInAnotherCurrencyThanARevenueShareIsListedInDayOrder() {
        UsageRow late =
                new UsageRow("acme", "open", nov(30), COMMERCIAL, "EUR", 1, d("3"), Map.of());
        UsageRow early =
                new UsageRow("acme", "open", nov(17), NON_COMMERCIAL, "EUR", 1, d("4"), Map.of());
        UsageRow uncovered =
                new UsageRow("acme", "open", nov(2), COMMERCIAL, "EUR", 1, d("5"), Map.of());
        UsageRow matching =
                new UsageRow("acme", "open", nov(18), COMMERCIAL, "USD", 1, d("6"), Map.of());

        assertThat(
                        new Coverage(NOVEMBER, AGREEMENTS, MODELS)
                                .currencyMismatched(List.of(late, matching, uncovered, early)))
                .containsExactly(early, late);
    }
}
