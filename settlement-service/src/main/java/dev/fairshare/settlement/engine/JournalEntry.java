package dev.fairshare.settlement.engine;

import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.List;
import java.util.Objects;

/**
 * A balanced double-entry journal entry in one currency, posted for one platform's invoice of a
 * period's statement (DESIGN.md rule 5), or for a paid payout line ({@link Payouts#postings}: then
 * without {@code period} and {@code platformId}): its lines' debits equal its credits, always, and
 * every line is in the entry's currency. An entry with no line is not an entry.
 */
public record JournalEntry(
        YearMonth period,
        String platformId,
        String currency,
        String memo,
        List<JournalLine> lines) {

    public JournalEntry {
        if ((period == null) != (platformId == null)) {
            throw new IllegalArgumentException(
                    "journal entry "
                            + memo
                            + ": a period's entry names its platform, a payout's neither");
        }
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(memo, "memo");
        lines = List.copyOf(lines);
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("journal entry " + memo + " has no line");
        }
        BigDecimal debits = BigDecimal.ZERO;
        BigDecimal credits = BigDecimal.ZERO;
        for (JournalLine line : lines) {
            if (!line.currency().equals(currency)) {
                throw new IllegalArgumentException(
                        "journal entry "
                                + memo
                                + " in "
                                + currency
                                + " has a line of "
                                + line.account()
                                + " in "
                                + line.currency());
            }
            debits = debits.add(line.debit());
            credits = credits.add(line.credit());
        }
        if (debits.compareTo(credits) != 0) {
            throw new IllegalArgumentException(
                    "journal entry "
                            + memo
                            + " does not balance: debits "
                            + debits
                            + " != credits "
                            + credits
                            + " "
                            + currency);
        }
    }

    /** The entry's total debits (equal to its total credits). */
    public BigDecimal total() {
        return lines.stream().map(JournalLine::debit).reduce(BigDecimal.ZERO, BigDecimal::add);
    }
}
