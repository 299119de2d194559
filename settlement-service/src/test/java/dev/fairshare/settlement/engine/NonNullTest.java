package dev.fairshare.settlement.engine;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A record constructor's null check names the first missing component, whatever its position. */
class NonNullTest {
    static final YearMonth NOV = YearMonth.of(2026, 11);

    @Test
    void namesTheFirstNullValueByItsPosition() {
        assertThatThrownBy(() -> NonNull.check("a b c", "x", null, null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("b");
        assertThatThrownBy(() -> NonNull.check("a b c d e f g", 1, 2, 3, 4, 5, 6, null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("g");
    }

    @Test
    void passesWhenNoValueIsNull() {
        NonNull.check("a b c d e f g", 1, 2, 3, 4, 5, 6, 7);
    }

    @Test
    void recordsNameTheirMissingComponent() {
        assertThatThrownBy(
                        () ->
                                new PooledUsage(
                                        "p", "m", null, NOV, CustomerType.COMMERCIAL, 1, Map.of()))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("subscriberId");
        assertThatThrownBy(
                        () ->
                                new StatementLine(
                                        NOV,
                                        "maker",
                                        "p",
                                        "m",
                                        "agr",
                                        LineKind.ROYALTY,
                                        "m",
                                        CustomerType.COMMERCIAL,
                                        BigDecimal.TEN,
                                        BigDecimal.ONE,
                                        BigDecimal.ONE,
                                        null,
                                        null,
                                        List.of("m")))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("currency");
        assertThatThrownBy(
                        () -> new CurrencyMismatch("p", "m", "maker", "agr", "USD", "EUR", 1, null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("revenue");
        assertThatThrownBy(
                        () ->
                                new Pool(
                                        "p",
                                        NOV,
                                        null,
                                        BigDecimal.ONE,
                                        BigDecimal.ONE,
                                        "tokens",
                                        PoolMethod.PRO_RATA,
                                        Map.of()))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("currency");
    }
}
