package dev.fairshare.settlement.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class RoundingPropertiesTest {

    @Provide
    Arbitrary<List<BigDecimal>> amounts() {
        return Arbitraries.integers()
                .between(0, 8)
                .flatMap(
                        scale ->
                                Arbitraries.bigDecimals()
                                        .between(BigDecimal.ZERO, new BigDecimal("10000"))
                                        .ofScale(scale))
                .list()
                .ofMaxSize(20);
    }

    @Property
    void roundedLinesSumToTheRoundedTotalAndStayWithinOneMinorUnit(
            @ForAll("amounts") List<BigDecimal> exact, @ForAll("currencies") String currency) {
        int digits = Rounding.fractionDigits(currency);
        BigDecimal minorUnit = BigDecimal.ONE.movePointLeft(digits);

        List<BigDecimal> rounded = Rounding.largestRemainder(exact, currency);

        BigDecimal exactTotal = exact.stream().reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(rounded).hasSameSizeAs(exact);
        assertThat(rounded.stream().reduce(BigDecimal.ZERO, BigDecimal::add))
                .isEqualByComparingTo(exactTotal.setScale(digits, RoundingMode.HALF_EVEN));
        for (int i = 0; i < exact.size(); i++) {
            assertThat(rounded.get(i).signum()).isNotNegative();
            assertThat(rounded.get(i).subtract(exact.get(i)).abs()).isLessThan(minorUnit);
        }
    }

    @Property
    void signedLinesSumToTheRoundedTotalAndStayWithinOneMinorUnit(
            @ForAll("signedAmounts") List<BigDecimal> exact,
            @ForAll("currencies") String currency) {
        int digits = Rounding.fractionDigits(currency);
        BigDecimal minorUnit = BigDecimal.ONE.movePointLeft(digits);

        List<BigDecimal> rounded = Rounding.largestRemainder(exact, currency);

        BigDecimal exactTotal = exact.stream().reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(rounded.stream().reduce(BigDecimal.ZERO, BigDecimal::add))
                .isEqualByComparingTo(exactTotal.setScale(digits, RoundingMode.HALF_EVEN));
        for (int i = 0; i < exact.size(); i++) {
            assertThat(rounded.get(i).scale()).isEqualTo(digits);
            assertThat(rounded.get(i).subtract(exact.get(i)).abs()).isLessThan(minorUnit);
        }
    }

    /** Late adjustments of a dispute: negative for the loser, positive for the gainer. */
    @Provide
    Arbitrary<List<BigDecimal>> signedAmounts() {
        return Arbitraries.integers()
                .between(0, 6)
                .flatMap(
                        scale ->
                                Arbitraries.bigDecimals()
                                        .between(new BigDecimal("-10000"), new BigDecimal("10000"))
                                        .ofScale(scale))
                .list()
                .ofMaxSize(20);
    }

    @Provide
    Arbitrary<String> currencies() {
        return Arbitraries.of("USD", "EUR", "JPY", "BHD", "XAU");
    }
}
