package dev.fairshare.settlement.engine;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Currency;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Rounding to a currency's minor unit by the largest-remainder method, so that no cent is created
 * or lost: the rounded lines sum exactly to the exact total rounded HALF_EVEN. Each line is first
 * floored to the minor unit (a negative line too: −1.005 floors to −1.01); the minor units still
 * missing go one each to the lines with the largest remainders. Every rounded line is therefore
 * within one minor unit of its exact amount.
 *
 * <p>Ties between equal remainders at the cut-off are broken by a hash (SHA-256) of each line's tie
 * key, which callers make of the period and the line's identity: the order is fixed for a given
 * statement, but it changes from one period to the next, so no line (and no maker) is favoured by
 * where it sorts. Lines whose hashes are equal too go in their order.
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
     * Rounds exact amounts, in order, so that they sum to their rounded exact total; ties go to the
     * earlier line. Amounts may be negative (a late adjustment that takes usage back, a
     * recoupment): each is floored towards negative infinity, so every remainder lies in [0, one
     * minor unit) whatever the sign.
     */
    public static List<BigDecimal> largestRemainder(List<BigDecimal> exact, String currency) {
        return largestRemainder(exact, currency, i -> "");
    }

    /**
     * Rounds exact amounts, in order, so that they sum to their rounded exact total; ties between
     * equal remainders go to the lines whose {@code tieKey} (of their index) hashes lowest. Keys
     * are asked for only for the lines of a tie at the cut-off.
     */
    public static List<BigDecimal> largestRemainder(
            List<BigDecimal> exact, String currency, IntFunction<String> tieKey) {
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
            // Arrays.sort is stable: equal remainders stay in line order until the cut-off below.
            Arrays.sort(byRemainder, (a, b) -> remainder[b].compareTo(remainder[a]));
            int units = Math.min(missingUnits, byRemainder.length);
            if (units < byRemainder.length) {
                breakTieAtCutOff(byRemainder, remainder, units, tieKey);
            }
            for (int k = 0; k < units; k++) {
                int i = byRemainder[k];
                rounded.set(i, rounded.get(i).add(minorUnit));
            }
        }
        return rounded;
    }

    /**
     * Reorders the run of lines whose remainder equals the last one that gets a unit (the {@code
     * units}-th) by the hash of their tie keys, so that the unit goes to the lowest hashes.
     */
    private static void breakTieAtCutOff(
            Integer[] byRemainder, BigDecimal[] remainder, int units, IntFunction<String> tieKey) {
        BigDecimal cutOff = remainder[byRemainder[units - 1]];
        if (remainder[byRemainder[units]].compareTo(cutOff) != 0) {
            return;
        }
        int from = units - 1;
        while (from > 0 && remainder[byRemainder[from - 1]].compareTo(cutOff) == 0) {
            from--;
        }
        int to = units + 1;
        while (to < byRemainder.length && remainder[byRemainder[to]].compareTo(cutOff) == 0) {
            to++;
        }
        Map<Integer, Long> hash = new HashMap<>();
        for (int k = from; k < to; k++) {
            hash.put(byRemainder[k], hash(tieKey.apply(byRemainder[k])));
        }
        Arrays.sort(
                byRemainder,
                from,
                to,
                Comparator.<Integer>comparingLong(i -> hash.get(i) ^ Long.MIN_VALUE)
                        .thenComparingInt(i -> i));
    }

    /** The first 64 bits of the key's SHA-256. */
    static long hash(String key) {
        try {
            byte[] digest =
                    MessageDigest.getInstance("SHA-256")
                            .digest(key.getBytes(StandardCharsets.UTF_8));
            long h = 0;
            for (int i = 0; i < Long.BYTES; i++) {
                h = (h << 8) | (digest[i] & 0xff);
            }
            return h;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
