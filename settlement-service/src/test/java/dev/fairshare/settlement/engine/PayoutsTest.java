package dev.fairshare.settlement.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fairshare.settlement.engine.Payouts.Maker;
import dev.fairshare.settlement.engine.Payouts.Profile;
import dev.fairshare.settlement.engine.Payouts.Reason;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A payout run worked by hand. */
class PayoutsTest {

    static BigDecimal d(String v) {
        return new BigDecimal(v);
    }

    static Profile usd(String threshold) {
        return new Profile("USD", d(threshold));
    }

    @Test
    void linesCarryForwardsAndConversionRoundedPerRun() {
        // 1 EUR = 1.085 USD. a: 100.00 USD + 33.33 EUR; b: 20.01 EUR; c: 5.00 USD, below its
        // threshold; d: −7.50 USD; e: no profile, 12.00 USD; f: paid in EUR, not in this run
        List<Maker> makers =
                List.of(
                        new Maker(
                                "a",
                                Map.of("USD", d("100.00"), "EUR", d("33.33")),
                                usd("10"),
                                false),
                        new Maker("b", Map.of("EUR", d("20.01")), usd("10"), false),
                        new Maker("c", Map.of("USD", d("5.00")), usd("10"), false),
                        new Maker("d", Map.of("USD", d("-7.50")), usd("10"), false),
                        new Maker("e", Map.of("USD", d("12.00")), null, false),
                        new Maker(
                                "f",
                                Map.of("EUR", d("50.00")),
                                new Profile("EUR", d("10")),
                                false));

        Payouts.Plan plan = Payouts.plan("USD", makers, Map.of("EUR", d("1.085")), "run-1");

        // exact EUR conversions: 36.16305 and 21.71085, total 57.8739 → 57.87; floors 36.16 and
        // 21.71 already sum to 57.87, so no unit is added
        assertThat(plan.lines()).extracting(Payouts.Line::makerId).containsExactly("a", "b");
        assertThat(plan.lines().get(0).amount()).isEqualByComparingTo("136.16");
        assertThat(plan.lines().get(1).amount()).isEqualByComparingTo("21.71");
        Payouts.Part eur = plan.lines().get(0).parts().get(0);
        assertThat(eur.currency()).isEqualTo("EUR");
        assertThat(eur.rate()).isEqualByComparingTo("1.085");
        assertThat(eur.exact()).isEqualByComparingTo("36.16305");
        assertThat(plan.carryForwards())
                .containsExactly(
                        new Payouts.CarryForward("c", "USD", d("5.00"), Reason.BELOW_THRESHOLD),
                        new Payouts.CarryForward("d", "USD", d("-7.50"), Reason.NEGATIVE),
                        new Payouts.CarryForward("e", "USD", d("12.00"), Reason.NO_PROFILE));
    }

    @Test
    void theLargestRemainderGetsTheMissingCent() {
        // 1 EUR = 0.5 USD: 0.01 EUR → 0.005 USD three times, total 0.015 → 0.02: two of the three
        // get a cent; amounts of 10.00 USD make each reach its threshold
        List<Maker> makers =
                List.of(
                        new Maker(
                                "a", Map.of("USD", d("10.00"), "EUR", d("0.01")), usd("10"), false),
                        new Maker(
                                "b", Map.of("USD", d("10.00"), "EUR", d("0.01")), usd("10"), false),
                        new Maker(
                                "c",
                                Map.of("USD", d("10.00"), "EUR", d("0.01")),
                                usd("10"),
                                false));
        Payouts.Plan plan = Payouts.plan("USD", makers, Map.of("EUR", d("0.5")), "seed");
        BigDecimal total =
                plan.lines().stream()
                        .map(Payouts.Line::amount)
                        .reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(total).isEqualByComparingTo("30.02");
        assertThat(plan.lines())
                .allSatisfy(l -> assertThat(l.amount()).isBetween(d("10.00"), d("10.01")));
    }

    @Test
    void aMissingRateNamesThePair() {
        List<Maker> makers =
                List.of(new Maker("a", Map.of("EUR", d("1.00"), "JPY", d("5")), usd("10"), false));
        assertThatThrownBy(() -> Payouts.plan("USD", makers, Map.of(), "s"))
                .isInstanceOfSatisfying(
                        Payouts.MissingRates.class,
                        e -> {
                            assertThat(e.bases()).containsExactly("EUR", "JPY");
                            assertThat(e.quote()).isEqualTo("USD");
                        });
    }

    @Test
    void payingAConvertedLinePostsThroughFxClearing() {
        Payouts.Line line =
                new Payouts.Line(
                        "a",
                        "USD",
                        d("136.16"),
                        List.of(
                                new Payouts.Part(
                                        "EUR", d("33.33"), d("1.085"), d("36.16305"), d("36.16")),
                                new Payouts.Part(
                                        "USD", d("100.00"), null, d("100.00"), d("100.00"))));
        List<JournalEntry> entries = Payouts.postings(line, "payout 1");
        Map<String, Map<String, BigDecimal>> balances = Ledger.balances(entries);
        assertThat(entries).hasSize(3);
        assertThat(balances.get("maker:a:receivable").get("EUR")).isEqualByComparingTo("-33.33");
        assertThat(balances.get("maker:a:receivable").get("USD")).isEqualByComparingTo("-100.00");
        assertThat(balances.get("fx:clearing").get("EUR")).isEqualByComparingTo("33.33");
        assertThat(balances.get("fx:clearing").get("USD")).isEqualByComparingTo("-36.16");
        assertThat(balances.get("cash:USD").get("USD")).isEqualByComparingTo("136.16");
    }

    @Test
    void aThresholdBelowOneHundredMinorUnitsIsRefused() {
        assertThatThrownBy(() -> new Profile("JPY", d("99")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new Profile("JPY", d("100")).threshold()).isEqualByComparingTo("100");
    }
}
