package dev.fairshare.settlement.engine;

import static dev.fairshare.settlement.engine.CustomerType.COMMERCIAL;
import static dev.fairshare.settlement.engine.Fixtures.d;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Rounding ties (docs/api.md "Rounding"): lines with equal remainders compete for the last minor
 * units by a hash of the period and the line, not by where they sort.
 */
class RoundingTiesTest {

    /**
     * {@code makers} makers with one model and one 10% agreement each, every model earning 0.005
     * (revenue 0.05): each line is half a cent, and the invoice rounds to half as many cents (half
     * to even), so about half the lines get a cent and the others none.
     */
    private static List<StatementLine> settle(YearMonth period, int makers, Random order) {
        Map<String, ModelInfo> models = new HashMap<>();
        List<Agreement> agreements = new ArrayList<>();
        List<UsageRow> usage = new ArrayList<>();
        for (int i = 0; i < makers; i++) {
            String maker = "maker-" + i;
            models.put("m" + i, new ModelInfo("m" + i, maker, true, List.of()));
            agreements.add(
                    new Agreement(
                            "a" + i,
                            maker,
                            "acme",
                            "m" + i,
                            "USD",
                            LocalDate.of(2000, 1, 1),
                            null,
                            new RevenueShare(d("0.1")),
                            null));
            usage.add(
                    new UsageRow(
                            "acme",
                            "m" + i,
                            period.atDay(1),
                            COMMERCIAL,
                            "USD",
                            1,
                            d("0.05"),
                            Map.of()));
        }
        if (order != null) {
            Collections.shuffle(agreements, order);
            Collections.shuffle(usage, order);
        }
        return SettlementEngine.settle(period, usage, List.of(), agreements, models);
    }

    @Property(tries = 50)
    void tiesSumExactlyAreDeterministicAndNoLineAlwaysWins(
            @ForAll @IntRange(min = 2, max = 9) int makers, @ForAll Random random) {
        Map<String, Integer> wins = new TreeMap<>();
        Set<String> everLost = new TreeSet<>();
        for (int month = 0; month < 120; month++) {
            YearMonth period = YearMonth.of(2020, 1).plusMonths(month);
            List<StatementLine> lines = settle(period, makers, null);

            // half a cent each: the total 0.005 × n rounds half to even
            BigDecimal expected = d("0.005").multiply(BigDecimal.valueOf(makers));
            assertThat(
                            lines.stream()
                                    .map(StatementLine::amount)
                                    .reduce(BigDecimal.ZERO, BigDecimal::add))
                    .isEqualByComparingTo(expected.setScale(2, java.math.RoundingMode.HALF_EVEN));
            assertThat(lines)
                    .allSatisfy(line -> assertThat(line.amount()).isIn(d("0.00"), d("0.01")));
            assertThat(settle(period, makers, random)).isEqualTo(lines);
            for (StatementLine line : lines) {
                if (line.amount().signum() > 0) {
                    wins.merge(line.makerId(), 1, Integer::sum);
                } else {
                    everLost.add(line.makerId());
                }
            }
        }
        for (int i = 0; i < makers; i++) {
            String maker = "maker-" + i;
            if (expected(makers) > 0) {
                assertThat(wins.getOrDefault(maker, 0)).as(maker + " wins").isPositive();
            }
            assertThat(everLost).as(maker + " loses").contains(maker);
        }
    }

    /** Cents the invoice of {@code makers} half-cent lines rounds to. */
    private static int expected(int makers) {
        return d("0.005")
                .multiply(BigDecimal.valueOf(makers))
                .setScale(2, java.math.RoundingMode.HALF_EVEN)
                .movePointRight(2)
                .intValueExact();
    }

    @Property(tries = 100)
    void theTieBreakOnlyReordersTheCutOff(
            @ForAll @IntRange(min = 1, max = 30) int lines, @ForAll Random random) {
        // amounts with random remainders, many of them equal
        List<BigDecimal> exact = new ArrayList<>();
        for (int i = 0; i < lines; i++) {
            exact.add(
                    BigDecimal.valueOf(random.nextInt(2000) - 500, 2)
                            .add(BigDecimal.valueOf(random.nextInt(4), 3)));
        }
        List<BigDecimal> byOrder = Rounding.largestRemainder(exact, "USD");
        List<BigDecimal> byHash =
                Rounding.largestRemainder(exact, "USD", i -> "2026-11/" + random.nextInt());

        BigDecimal total = exact.stream().reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal target = total.setScale(2, java.math.RoundingMode.HALF_EVEN);
        assertThat(byHash.stream().reduce(BigDecimal.ZERO, BigDecimal::add))
                .isEqualByComparingTo(target);
        for (int i = 0; i < lines; i++) {
            assertThat(byHash.get(i).subtract(exact.get(i)).abs()).isLessThan(d("0.01"));
            // a line whose remainder is not at the cut-off rounds the same whatever the tie-break
            BigDecimal remainder =
                    exact.get(i).subtract(exact.get(i).setScale(2, java.math.RoundingMode.FLOOR));
            if (remainder.signum() == 0) {
                assertThat(byHash.get(i)).isEqualByComparingTo(exact.get(i));
            }
        }
        // the multiset of remainders that got a unit is the same
        assertThat(unitsByRemainder(exact, byHash)).isEqualTo(unitsByRemainder(exact, byOrder));
    }

    private static Map<BigDecimal, Integer> unitsByRemainder(
            List<BigDecimal> exact, List<BigDecimal> rounded) {
        Map<BigDecimal, Integer> units = new TreeMap<>();
        for (int i = 0; i < exact.size(); i++) {
            BigDecimal floor = exact.get(i).setScale(2, java.math.RoundingMode.FLOOR);
            BigDecimal remainder = exact.get(i).subtract(floor).stripTrailingZeros();
            int unit = rounded.get(i).compareTo(floor) > 0 ? 1 : 0;
            units.merge(remainder, unit, Integer::sum);
        }
        return units;
    }
}
