package dev.fairshare.settlement.engine;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A payout run's arithmetic (DESIGN.md "Payouts"): which makers the run pays from their ledger
 * balances, how balances in other currencies are converted, and what a paid line posts.
 *
 * <p>A run in currency {@code C} takes every maker whose profile pays in {@code C}. All of such a
 * maker's balances are converted to {@code C} exactly ({@code balance × rate}, the rate recorded
 * for 1 unit of the balance's currency in {@code C}) and summed; a maker whose exact total reaches
 * its threshold gets a line, any other keeps its balances on the ledger as carry-forwards ({@link
 * Reason#NEGATIVE} below zero, {@link Reason#BELOW_THRESHOLD} otherwise). A maker with a balance in
 * {@code C} but no profile carries it forward ({@link Reason#NO_PROFILE}), and so does a maker
 * whose earlier line is still being paid ({@link Reason#IN_UNFINISHED_RUN}). A zero balance is no
 * balance.
 *
 * <p>Rounding: for each currency converted, the exact converted amounts of the run's lines are
 * rounded together by the largest remainder ({@link Rounding#largestRemainder}), so that they sum
 * exactly to their exact total rounded; ties go by a hash of the run's tie seed and the maker.
 */
public final class Payouts {

    static final String CASH_PREFIX = "cash:";

    /** The account through which a conversion passes, one balance per currency. */
    public static final String FX_CLEARING = "fx:clearing";

    private Payouts() {}

    /** Why a balance stays on the ledger. */
    public enum Reason {
        BELOW_THRESHOLD,
        NEGATIVE,
        NO_PROFILE,
        IN_UNFINISHED_RUN
    }

    /**
     * A maker's payout currency and threshold (in that currency), at least {@link
     * #MIN_THRESHOLD_UNITS} minor units: a line's rounded parts differ from their exact sum by less
     * than one minor unit each, so a line's amount stays positive.
     */
    public record Profile(String currency, BigDecimal threshold) {
        public Profile {
            Objects.requireNonNull(currency, "currency");
            if (threshold.compareTo(minThreshold(currency)) < 0) {
                throw new IllegalArgumentException(
                        "a threshold is at least " + minThreshold(currency) + ": " + threshold);
            }
        }
    }

    /** The smallest threshold, in minor units of its currency. */
    public static final int MIN_THRESHOLD_UNITS = 100;

    /** The smallest threshold of a currency: {@link #MIN_THRESHOLD_UNITS} minor units. */
    public static BigDecimal minThreshold(String currency) {
        return BigDecimal.valueOf(MIN_THRESHOLD_UNITS, Rounding.fractionDigits(currency));
    }

    /**
     * A maker's ledger balances per currency ({@code Σcredit − Σdebit} of its receivable), its
     * profile (null: none) and whether a line of an unfinished run is still being paid to it.
     */
    public record Maker(
            String makerId, Map<String, BigDecimal> balances, Profile profile, boolean busy) {
        public Maker {
            Objects.requireNonNull(makerId, "makerId");
            balances = Map.copyOf(balances);
        }
    }

    /** One balance a line pays: converted at {@code rate} (null: the run's own currency). */
    public record Part(
            String currency,
            BigDecimal balance,
            BigDecimal rate,
            BigDecimal exact,
            BigDecimal converted) {}

    /** A payout line: the sum of its parts' converted amounts, at the minor unit. */
    public record Line(String makerId, String currency, BigDecimal amount, List<Part> parts) {
        public Line {
            parts = List.copyOf(parts);
        }
    }

    /** A balance that stays on the ledger, in its own currency. */
    public record CarryForward(
            String makerId, String currency, BigDecimal balance, Reason reason) {}

    /** What a run in {@code currency} pays and carries forward. */
    public record Plan(String currency, List<Line> lines, List<CarryForward> carryForwards) {
        public Plan {
            lines = List.copyOf(lines);
            carryForwards = List.copyOf(carryForwards);
        }
    }

    /** A rate the run needs is not recorded: 1 {@code base} in {@code quote}. */
    public static final class MissingRates extends RuntimeException {
        private final List<String> bases;
        private final String quote;

        MissingRates(SortedSet<String> bases, String quote) {
            super("no rate recorded for " + String.join(", ", bases) + " in " + quote);
            this.bases = List.copyOf(bases);
            this.quote = quote;
        }

        public List<String> bases() {
            return bases;
        }

        public String quote() {
            return quote;
        }
    }

    /**
     * The run of {@code currency} over {@code makers}, with {@code rates} (1 unit of the key's
     * currency in {@code currency}). Lines and carry-forwards are ordered by maker and currency.
     *
     * @throws MissingRates when a maker of the run has a balance in a currency without a rate
     */
    public static Plan plan(
            String currency, List<Maker> makers, Map<String, BigDecimal> rates, String tieSeed) {
        List<Maker> sorted = new ArrayList<>(makers);
        sorted.sort(Comparator.comparing(Maker::makerId));
        requireRates(currency, sorted, rates);
        List<CarryForward> carried = new ArrayList<>();
        List<Payee> paid = new ArrayList<>();
        for (Maker m : sorted) {
            Map<String, BigDecimal> balances = nonZero(m.balances());
            if (!pays(m, currency)) {
                withoutProfile(m, currency, balances).ifPresent(carried::add);
            } else if (!balances.isEmpty()) {
                Optional<Reason> kept = whyKept(m, balances, currency, rates);
                if (kept.isPresent()) {
                    carry(carried, m, balances, kept.get());
                } else {
                    paid.add(new Payee(m.makerId(), balances, new TreeMap<>()));
                }
            }
        }
        return new Plan(currency, lines(currency, paid, rates, tieSeed), carried);
    }

    /** A maker the run pays, its non-zero balances and, once converted and rounded, its parts. */
    private record Payee(
            String makerId, Map<String, BigDecimal> balances, Map<String, Part> parts) {}

    /**
     * Refuses the run when a maker it pays (with a profile in {@code currency}, not busy) has a
     * balance in a currency without a rate.
     */
    private static void requireRates(
            String currency, List<Maker> sorted, Map<String, BigDecimal> rates) {
        SortedSet<String> missing = new TreeSet<>();
        for (Maker m : sorted) {
            if (pays(m, currency) && !m.busy()) {
                for (Map.Entry<String, BigDecimal> b : m.balances().entrySet()) {
                    if (b.getValue().signum() != 0
                            && !b.getKey().equals(currency)
                            && !rates.containsKey(b.getKey())) {
                        missing.add(b.getKey());
                    }
                }
            }
        }
        if (!missing.isEmpty()) {
            throw new MissingRates(missing, currency);
        }
    }

    /**
     * The carry-forward of a maker the run does not pay: its balance in the run's currency when it
     * has no profile at all (a maker paid in another currency waits for that currency's run).
     */
    private static Optional<CarryForward> withoutProfile(
            Maker m, String currency, Map<String, BigDecimal> balances) {
        BigDecimal own = balances.get(currency);
        if (m.profile() == null && own != null) {
            return Optional.of(new CarryForward(m.makerId(), currency, own, Reason.NO_PROFILE));
        }
        return Optional.empty();
    }

    /**
     * Why a maker paid in the run's currency keeps its balances on the ledger: a line of an
     * unfinished run, or an exact converted total below zero or below its threshold. Empty: the run
     * pays it.
     */
    private static Optional<Reason> whyKept(
            Maker m,
            Map<String, BigDecimal> balances,
            String currency,
            Map<String, BigDecimal> rates) {
        if (m.busy()) {
            return Optional.of(Reason.IN_UNFINISHED_RUN);
        }
        BigDecimal total = BigDecimal.ZERO;
        for (Map.Entry<String, BigDecimal> b : balances.entrySet()) {
            total = total.add(exact(b.getValue(), rate(b.getKey(), currency, rates)));
        }
        if (total.signum() < 0) {
            return Optional.of(Reason.NEGATIVE);
        }
        if (total.compareTo(m.profile().threshold()) < 0) {
            return Optional.of(Reason.BELOW_THRESHOLD);
        }
        return Optional.empty();
    }

    /**
     * The lines of the paid makers: per converted currency, their exact amounts rounded together;
     * then each line the sum of its parts.
     */
    private static List<Line> lines(
            String currency, List<Payee> paid, Map<String, BigDecimal> rates, String tieSeed) {
        Map<String, List<Payee>> holders = new TreeMap<>();
        for (Payee payee : paid) {
            for (String c : payee.balances().keySet()) {
                holders.computeIfAbsent(c, k -> new ArrayList<>()).add(payee);
            }
        }
        holders.forEach((c, who) -> convert(c, who, currency, rate(c, currency, rates), tieSeed));
        List<Line> lines = new ArrayList<>(paid.size());
        for (Payee payee : paid) {
            List<Part> p = new ArrayList<>(payee.parts().values());
            BigDecimal amount =
                    p.stream().map(Part::converted).reduce(BigDecimal.ZERO, BigDecimal::add);
            lines.add(new Line(payee.makerId(), currency, amount, p));
        }
        return lines;
    }

    /**
     * Converts the balances in {@code c} of the makers {@code who} at {@code rate} and rounds them
     * together by the largest remainder (ties by the run's seed, the currency and the maker), each
     * becoming a part of its maker's line.
     */
    private static void convert(
            String c, List<Payee> who, String currency, BigDecimal rate, String tieSeed) {
        List<BigDecimal> exact = new ArrayList<>(who.size());
        for (Payee payee : who) {
            exact.add(exact(payee.balances().get(c), rate));
        }
        List<BigDecimal> rounded =
                Rounding.largestRemainder(
                        exact, currency, k -> tieSeed + "|" + c + "|" + who.get(k).makerId());
        for (int k = 0; k < who.size(); k++) {
            Payee payee = who.get(k);
            payee.parts()
                    .put(
                            c,
                            new Part(
                                    c,
                                    payee.balances().get(c),
                                    c.equals(currency) ? null : rate,
                                    exact.get(k),
                                    rounded.get(k)));
        }
    }

    /**
     * The entries that paying {@code line} posts: for each converted part, one entry in the
     * balance's currency moving the balance from the maker's receivable to {@link #FX_CLEARING} and
     * one in the run's currency moving the converted amount from {@link #FX_CLEARING} to the
     * receivable; then one in the run's currency moving the line's amount from the receivable to
     * {@code cash:<currency>}. Each entry balances in its currency; across currencies the clearing
     * account keeps the difference that the rate and the rounding make.
     */
    public static List<JournalEntry> postings(Line line, String memo) {
        String maker = Ledger.makerAccount(line.makerId());
        String run = line.currency();
        List<JournalEntry> entries = new ArrayList<>();
        for (Part part : line.parts()) {
            if (part.rate() == null) {
                continue;
            }
            move(
                    entries,
                    memo + ": conversion",
                    part.currency(),
                    maker,
                    FX_CLEARING,
                    part.balance());
            move(entries, memo + ": conversion", run, FX_CLEARING, maker, part.converted());
        }
        move(entries, memo, run, maker, cashAccount(run), line.amount());
        return List.copyOf(entries);
    }

    /** The cash account of a currency: {@code cash:<currency>}. */
    public static String cashAccount(String currency) {
        return CASH_PREFIX + Objects.requireNonNull(currency, "currency");
    }

    /** An entry that moves {@code amount} out of {@code from} into {@code to} (none for zero). */
    private static void move(
            List<JournalEntry> entries,
            String memo,
            String currency,
            String from,
            String to,
            BigDecimal amount) {
        if (amount.signum() == 0) {
            return;
        }
        BigDecimal abs = amount.abs();
        List<JournalLine> lines =
                amount.signum() > 0
                        ? List.of(
                                JournalLine.debit(from, currency, abs),
                                JournalLine.credit(to, currency, abs))
                        : List.of(
                                JournalLine.credit(from, currency, abs),
                                JournalLine.debit(to, currency, abs));
        entries.add(new JournalEntry(null, null, currency, memo, lines));
    }

    private static boolean pays(Maker m, String currency) {
        return m.profile() != null && m.profile().currency().equals(currency);
    }

    private static void carry(
            List<CarryForward> carried, Maker m, Map<String, BigDecimal> balances, Reason reason) {
        balances.forEach((c, b) -> carried.add(new CarryForward(m.makerId(), c, b, reason)));
    }

    private static Map<String, BigDecimal> nonZero(Map<String, BigDecimal> balances) {
        Map<String, BigDecimal> out = new TreeMap<>();
        balances.forEach(
                (c, b) -> {
                    if (b.signum() != 0) {
                        out.put(c, b);
                    }
                });
        return out;
    }

    private static BigDecimal rate(String from, String to, Map<String, BigDecimal> rates) {
        return from.equals(to) ? BigDecimal.ONE : rates.get(from);
    }

    private static BigDecimal exact(BigDecimal balance, BigDecimal rate) {
        return balance.multiply(rate);
    }
}
