package dev.fairshare.settlement.engine;

import static dev.fairshare.settlement.engine.Fixtures.d;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoundingTest {

    @Test
    void threeThirdsOfOneDollarRoundToThirtyFourThirtyThreeThirtyThree() {
        BigDecimal third = d("1.00").divide(d("3"), 18, RoundingMode.HALF_EVEN);

        List<BigDecimal> rounded = Rounding.largestRemainder(List.of(third, third, third), "USD");

        assertThat(rounded).containsExactly(d("0.34"), d("0.33"), d("0.33"));
        assertThat(rounded.stream().reduce(BigDecimal.ZERO, BigDecimal::add))
                .isEqualByComparingTo(d("1.00"));
    }

    @Test
    void yenHasNoMinorUnitAndTiesGoToTheEarlierLine() {
        List<BigDecimal> rounded =
                Rounding.largestRemainder(List.of(d("100.5"), d("200.5"), d("0.4")), "JPY");

        assertThat(rounded).containsExactly(d("101"), d("200"), d("0"));
    }

    @Test
    void theTargetIsTheExactTotalRoundedHalfEven() {
        assertThat(Rounding.largestRemainder(List.of(d("0.005")), "USD"))
                .containsExactly(d("0.00"));
        assertThat(Rounding.largestRemainder(List.of(d("0.015")), "USD"))
                .containsExactly(d("0.02"));
        assertThat(Rounding.largestRemainder(List.of(d("0.0125"), d("0.0125")), "EUR"))
                .containsExactly(d("0.01"), d("0.01"));
    }

    @Test
    void largestRemainderWinsOverPosition() {
        List<BigDecimal> rounded =
                Rounding.largestRemainder(List.of(d("0.101"), d("0.206"), d("0.303")), "USD");

        assertThat(rounded).containsExactly(d("0.10"), d("0.21"), d("0.30"));
    }

    @Test
    void threeDecimalCurrenciesAndCurrenciesWithoutMinorUnit() {
        assertThat(Rounding.fractionDigits("BHD")).isEqualTo(3);
        assertThat(Rounding.fractionDigits("XAU")).isEqualTo(2);
        assertThat(Rounding.largestRemainder(List.of(d("0.0005"), d("0.0006")), "BHD"))
                .containsExactly(d("0.000"), d("0.001"));
    }

    @Test
    void emptyAndZeroLines() {
        assertThat(Rounding.largestRemainder(List.of(), "USD")).isEmpty();
        assertThat(Rounding.largestRemainder(List.of(BigDecimal.ZERO, d("0.00")), "USD"))
                .containsExactly(d("0.00"), d("0.00"));
    }

    @Test
    void aNegativeLineIsFlooredLikeAnyOther() {
        // floors −0.02, 1.00; remainders 0.005, 0.004; the total 0.989 rounds to 0.99
        assertThat(Rounding.largestRemainder(List.of(d("-0.015"), d("1.004")), "USD"))
                .containsExactly(d("-0.01"), d("1.00"));
    }

    @Test
    void negativeLinesRoundLikeTheirMirrorImage() {
        // floors -0.34 each (sum -1.02), remainders 0.007, 0.007, 0.006: two cents go to the first
        // two
        assertThat(Rounding.largestRemainder(List.of(d("-0.333"), d("-0.333"), d("-0.334")), "USD"))
                .containsExactly(d("-0.33"), d("-0.33"), d("-0.34"));
    }

    @Test
    void mixedSignsSumToTheRoundedTotal() {
        // total 1.003 rounds to 1.00; floors 1.00 and -0.01 (0.99), remainders 0.007 and 0.006:
        // the cent goes to the first
        assertThat(Rounding.largestRemainder(List.of(d("1.007"), d("-0.004")), "USD"))
                .containsExactly(d("1.01"), d("-0.01"));
        // a dispute's loser and gainer: -0.80 and 1.00 are already at the minor unit
        assertThat(Rounding.largestRemainder(List.of(d("-0.800"), d("1.000")), "USD"))
                .containsExactly(d("-0.80"), d("1.00"));
    }
}
