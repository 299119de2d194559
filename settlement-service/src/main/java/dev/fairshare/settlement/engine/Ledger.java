package dev.fairshare.settlement.engine;

import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The double-entry postings of a closed statement (DESIGN.md rule 5): one balanced {@link
 * JournalEntry} per invoice (platform and currency) of the statement. The entry debits the
 * platform's payable account ({@link #platformAccount}) with the invoice total and credits each
 * maker's receivable account ({@link #makerAccount}) with the sum of that maker's rounded lines in
 * the invoice. An upstream royalty is a line of the ancestor model's maker, so it credits that
 * maker. A maker whose lines sum to a negative amount (a guarantee recoupment larger than what it
 * earns in the invoice) is debited instead, and so is the platform credited should a whole invoice
 * be negative. Debits equal credits because the invoice total is the sum of its rounded lines.
 *
 * <p>Zero amounts are never posted: a maker whose lines in an invoice sum to zero gets no journal
 * line, the platform of an invoice whose total is zero none either (its makers' lines, if any,
 * balance each other: a recoupment against hops), and an invoice with no journal line gets no entry
 * at all.
 *
 * <p>Balances are signed {@code Σcredit − Σdebit} per account and currency: a maker's receivable
 * balance is positive (what it is owed), a platform's payable balance is negative (what it owes),
 * and all balances of one currency sum to zero.
 */
public final class Ledger {

    static final String PLATFORM_PREFIX = "platform:";
    static final String PAYABLE_SUFFIX = ":payable";
    static final String MAKER_PREFIX = "maker:";
    static final String RECEIVABLE_SUFFIX = ":receivable";

    private record Invoice(String platformId, String currency) {}

    private static final Comparator<Invoice> INVOICE_ORDER =
            Comparator.comparing(Invoice::platformId).thenComparing(Invoice::currency);

    private static final Comparator<JournalLine> LINE_ORDER =
            Comparator.comparing(JournalLine::account);

    private Ledger() {}

    /** The payable account of a platform: {@code platform:<platformId>:payable}. */
    public static String platformAccount(String platformId) {
        return PLATFORM_PREFIX + Objects.requireNonNull(platformId, "platformId") + PAYABLE_SUFFIX;
    }

    /** The receivable account of a maker: {@code maker:<makerId>:receivable}. */
    public static String makerAccount(String makerId) {
        return MAKER_PREFIX + Objects.requireNonNull(makerId, "makerId") + RECEIVABLE_SUFFIX;
    }

    /**
     * The journal entries of {@code period}'s rounded statement {@code lines} (as {@link
     * SettlementEngine#settle} returns them, in any order): one per invoice with a non-zero total,
     * ordered by platform and currency, each with its lines ordered by account. Every line must
     * belong to {@code period}.
     */
    public static List<JournalEntry> post(YearMonth period, List<StatementLine> lines) {
        Objects.requireNonNull(period, "period");
        Map<Invoice, Map<String, BigDecimal>> invoices = makerTotalsPerInvoice(period, lines);
        List<JournalEntry> entries = new ArrayList<>(invoices.size());
        invoices.forEach(
                (invoice, makers) -> {
                    List<JournalLine> journalLines = journalLines(invoice, makers);
                    if (!journalLines.isEmpty()) {
                        entries.add(
                                new JournalEntry(
                                        period,
                                        invoice.platformId(),
                                        invoice.currency(),
                                        memo(period, invoice),
                                        journalLines));
                    }
                });
        return List.copyOf(entries);
    }

    /**
     * The sum of each maker's lines per invoice, invoices by platform and currency, makers by id.
     * Every line must belong to {@code period}.
     */
    private static Map<Invoice, Map<String, BigDecimal>> makerTotalsPerInvoice(
            YearMonth period, List<StatementLine> lines) {
        Map<Invoice, Map<String, BigDecimal>> invoices = new TreeMap<>(INVOICE_ORDER);
        for (StatementLine line : lines) {
            if (!line.period().equals(period)) {
                throw new IllegalArgumentException(
                        "statement line of "
                                + line.makerId()
                                + " on "
                                + line.platformId()
                                + " belongs to "
                                + line.period()
                                + ", not to "
                                + period);
            }
            invoices.computeIfAbsent(
                            new Invoice(line.platformId(), line.currency()), i -> new TreeMap<>())
                    .merge(line.makerId(), line.amount(), BigDecimal::add);
        }
        return invoices;
    }

    /**
     * The journal lines of one invoice, ordered by account: each maker's non-zero total to its
     * receivable, and the opposite of the invoice total, if not zero, to the platform's payable.
     */
    private static List<JournalLine> journalLines(Invoice invoice, Map<String, BigDecimal> makers) {
        List<JournalLine> journalLines = new ArrayList<>(makers.size() + 1);
        BigDecimal total = BigDecimal.ZERO;
        for (Map.Entry<String, BigDecimal> maker : makers.entrySet()) {
            if (maker.getValue().signum() != 0) {
                journalLines.add(
                        posting(
                                makerAccount(maker.getKey()),
                                invoice.currency(),
                                maker.getValue()));
                total = total.add(maker.getValue());
            }
        }
        if (total.signum() != 0) {
            journalLines.add(
                    posting(
                            platformAccount(invoice.platformId()),
                            invoice.currency(),
                            total.negate()));
        }
        journalLines.sort(LINE_ORDER);
        return journalLines;
    }

    /**
     * The balance of every account that the entries touch, per currency, signed {@code Σcredit −
     * Σdebit}: positive for a maker's receivable, negative for a platform's payable. Accounts and
     * currencies are in natural order; amounts are at the currency's minor unit.
     */
    public static Map<String, Map<String, BigDecimal>> balances(List<JournalEntry> entries) {
        Map<String, Map<String, BigDecimal>> balances = new TreeMap<>();
        for (JournalEntry entry : entries) {
            for (JournalLine line : entry.lines()) {
                balances.computeIfAbsent(line.account(), a -> new TreeMap<>())
                        .merge(line.currency(), line.balance(), BigDecimal::add);
            }
        }
        return balances;
    }

    /** A credit of a positive {@code balance}, a debit of a negative one. */
    private static JournalLine posting(String account, String currency, BigDecimal balance) {
        return balance.signum() > 0
                ? JournalLine.credit(account, currency, balance)
                : JournalLine.debit(account, currency, balance.negate());
    }

    private static String memo(YearMonth period, Invoice invoice) {
        return "statement " + period + ": " + invoice.platformId() + " " + invoice.currency();
    }
}
