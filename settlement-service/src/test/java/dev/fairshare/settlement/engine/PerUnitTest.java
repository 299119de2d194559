package dev.fairshare.settlement.engine;

import static dev.fairshare.settlement.engine.Fixtures.d;
import static dev.fairshare.settlement.engine.Fixtures.tokenTiers;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class PerUnitTest {

    @Test
    void graduatedTiersPriceEachUnitInItsOwnTier() {
        // 1,000 blocks at 0.05 + 300 blocks at 0.03
        assertThat(tokenTiers().price(d("1300000"))).isEqualByComparingTo(d("59.00"));
        assertThat(tokenTiers().price(d("1000000"))).isEqualByComparingTo(d("50.00"));
        assertThat(tokenTiers().price(BigDecimal.ZERO)).isEqualByComparingTo(d("0"));
    }

    @Test
    void fractionalBlocksAreExact() {
        // 1.5 blocks at 0.05, and 1 token of a 3-token block at 1.00
        assertThat(tokenTiers().price(d("1500"))).isEqualByComparingTo(d("0.075"));
        PerUnit perThree = new PerUnit("tokens", d("3"), List.of(new Tier(null, d("1.00"))));
        assertThat(perThree.price(d("1"))).isEqualByComparingTo(d("0.333333333333333333"));
    }

    @Test
    void theVolumePriceIsAllocatedInProportionAndSumsExactly() {
        List<BigDecimal> parts =
                tokenTiers().royalties(BigDecimal.ZERO, List.of(d("300000"), d("1000000")));

        // 59.00 × 3/13 and 59.00 × 10/13; the scale-18 residual goes to the larger group
        assertThat(parts.get(0)).isEqualByComparingTo(d("13.615384615384615385"));
        assertThat(parts.get(1)).isEqualByComparingTo(d("45.384615384615384615"));
        assertThat(parts.get(0).add(parts.get(1))).isEqualByComparingTo(d("59.00"));
    }

    @Test
    void lateVolumePaysTheMarginalPriceFromTheSettledTierPosition() {
        List<BigDecimal> parts = tokenTiers().royalties(d("900000"), List.of(d("200000")));

        // 100 blocks at 0.05 + 100 blocks at 0.03
        assertThat(parts)
                .singleElement()
                .satisfies(p -> assertThat(p).isEqualByComparingTo(d("8.00")));
    }

    @Test
    void tiersMustIncreaseAndEndOpen() {
        assertThatThrownBy(
                        () -> new PerUnit("tokens", d("1000"), List.of(new Tier(d("10"), d("1")))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(
                        () ->
                                new PerUnit(
                                        "tokens",
                                        d("1000"),
                                        List.of(
                                                new Tier(d("10"), d("1")),
                                                new Tier(d("10"), d("1")),
                                                new Tier(null, d("1")))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PerUnit("tokens", d("0"), List.of(new Tier(null, d("1")))))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
