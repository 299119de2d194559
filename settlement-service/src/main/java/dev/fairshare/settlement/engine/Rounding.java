package dev.fairshare.settlement.engine;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Currency;
import java.util.List;

/**
 * Rounding to a currency's minor unit by the largest-remainder method, so that no cent is created
 * or lost: the rounded lines sum exactly to the exact total rounded HALF_EVEN. Each line is first
 * floored to the minor unit; the minor units still missing go one each to the lines with the
 * largest remainders (on a tie, the earlier line first). Every rounded line is therefore within one
 * minor unit of its exact amount.
 */
public final class Rounding {

    private Rounding() {}

    /**
     * The minor-unit digits of an ISO 4217 currency ({@link Currency#getDefaultFractionDigits()}),
     * 2 for a currency without one (such as XAU).
     */
    public static int fractionDigits(String currency) {
        int digits = Currency.getInstance(currency).getDefaultFractionDigits();
        return digits < 0 ? 2 : digits;
    }

    /**
     * Rounds exact amounts, in order, so that they sum to their rounded exact total. Amounts may be
     * negative (a late adjustment that takes usage back): each is floored towards negative
     * infinity, so every remainder lies in [0, one minor unit) whatever the sign.
     */
    public static List<BigDecimal> largestRemainder(List<BigDecimal> exact, String currency) {
        int digits = fractionDigits(currency);
        BigDecimal total = BigDecimal.ZERO;
        BigDecimal flooredTotal = BigDecimal.ZERO;
        List<BigDecimal> rounded = new ArrayList<>(exact.size());
        List<BigDecimal> remainders = new ArrayList<>(exact.size());
        for (BigDecimal amount : exact) {
            BigDecimal floor = amount.setScale(digits, RoundingMode.FLOOR);
            total = total.add(amount);
            flooredTotal = flooredTotal.add(floor);
            rounded.add(floor);
            remainders.add(amount.subtract(floor));
        }
        BigDecimal target = total.setScale(digits, RoundingMode.HALF_EVEN);
        int missingUnits = target.subtract(flooredTotal).movePointRight(digits).intValueExact();
        if (missingUnits > 0) {
            BigDecimal minorUnit = BigDecimal.ONE.movePointLeft(digits);
            // At one scale (exactly: only zeros are appended), the many comparisons of the sort
            // compare unscaled values without rescaling them each time.
            int scale = remainders.stream().mapToInt(BigDecimal::scale).max().orElse(0);
            BigDecimal[] remainder =
                    remainders.stream().map(r -> r.setScale(scale)).toArray(BigDecimal[]::new);
            Integer[] byRemainder = new Integer[remainder.length];
            Arrays.setAll(byRemainder, i -> i);
            // Arrays.sort is stable: on equal remainders the earlier line stays first.
            Arrays.sort(byRemainder, (a, b) -> remainder[b].compareTo(remainder[a]));
            for (int k = 0; k < Math.min(missingUnits, byRemainder.length); k++) {
                int i = byRemainder[k];
                rounded.set(i, rounded.get(i).add(minorUnit));
            }
        }
        return rounded;
    }
}
