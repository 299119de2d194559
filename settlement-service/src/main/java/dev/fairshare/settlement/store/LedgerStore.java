package dev.fairshare.settlement.store;

import dev.fairshare.settlement.domain.AccountBalance;
import dev.fairshare.settlement.domain.PostedEntry;
import dev.fairshare.settlement.engine.JournalEntry;
import dev.fairshare.settlement.engine.JournalLine;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The journal: entries are only ever appended (the database refuses updates and deletes), and an
 * entry that does not balance is refused at commit by a deferred constraint trigger.
 */
@ApplicationScoped
public class LedgerStore {

    /**
     * Appends the entries in two round trips, whatever their number: their ids from the sequence of
     * {@code journal_entry.id}, ascending in the order of {@code entries} (as one insert per entry
     * would have numbered them), then one statement that inserts the entries and all their lines,
     * numbered from 1 in each entry. Whether each entry balances is checked at commit by the
     * deferred trigger, as for any insert.
     */
    public void post(Connection c, List<JournalEntry> entries) throws SQLException {
        if (entries.isEmpty()) {
            return;
        }
        long[] ids = nextEntryIds(c, entries.size());
        int lineCount = 0;
        for (JournalEntry entry : entries) {
            lineCount += entry.lines().size();
        }
        Long[] entryIds = new Long[entries.size()];
        String[] periods = new String[entries.size()];
        String[] platforms = new String[entries.size()];
        String[] currencies = new String[entries.size()];
        String[] memos = new String[entries.size()];
        Long[] lineEntryIds = new Long[lineCount];
        Integer[] lineNos = new Integer[lineCount];
        String[] accounts = new String[lineCount];
        String[] lineCurrencies = new String[lineCount];
        String[] debits = new String[lineCount];
        String[] credits = new String[lineCount];
        int k = 0;
        for (int i = 0; i < entries.size(); i++) {
            JournalEntry entry = entries.get(i);
            entryIds[i] = ids[i];
            periods[i] = entry.period().toString();
            platforms[i] = entry.platformId();
            currencies[i] = entry.currency();
            memos[i] = entry.memo();
            int n = 0;
            for (JournalLine line : entry.lines()) {
                lineEntryIds[k] = ids[i];
                lineNos[k] = ++n;
                accounts[k] = line.account();
                lineCurrencies[k] = line.currency();
                debits[k] = line.debit().toPlainString();
                credits[k] = line.credit().toPlainString();
                k++;
            }
        }
        insert(
                c,
                new Object[][] {entryIds, periods, platforms, currencies, memos},
                new Object[][] {lineEntryIds, lineNos, accounts, lineCurrencies, debits, credits});
    }

    /** {@code n} ids from the sequence of {@code journal_entry.id}, ascending. */
    private static long[] nextEntryIds(Connection c, int n) throws SQLException {
        long[] ids = new long[n];
        try (PreparedStatement ps =
                c.prepareStatement(
                        "select nextval(pg_get_serial_sequence('journal_entry', 'id')) from generate_series(1, ?)")) {
            ps.setInt(1, ids.length);
            try (ResultSet rs = ps.executeQuery()) {
                for (int i = 0; i < ids.length; i++) {
                    if (!rs.next()) {
                        throw new SQLException("fewer journal entry ids than entries");
                    }
                    ids[i] = rs.getLong(1);
                }
            }
        }
        // the entries take the ids in their order, whatever order the rows came in
        Arrays.sort(ids);
        return ids;
    }

    private static final String[] ENTRY_TYPES = {"int8", "text", "text", "text", "text"};
    private static final String[] LINE_TYPES = {"int8", "int4", "text", "text", "text", "text"};

    /**
     * Inserts the entries and their lines in one statement, from one array per column ({@code
     * entries}: id, period, platform, currency, memo; {@code lines}: entry id, line number,
     * account, currency, debit, credit).
     */
    private static void insert(Connection c, Object[][] entries, Object[][] lines)
            throws SQLException {
        // the lines' foreign key is checked at the end of the statement, once the entries are in
        try (PreparedStatement ps =
                c.prepareStatement(
                        "with entry as (insert into journal_entry (id, period, platform_id, currency, memo, posted_at)"
                                + " select id, period, platform_id, currency, memo, now()"
                                + " from unnest(?::int8[], ?::text[], ?::text[], ?::text[], ?::text[])"
                                + " as e (id, period, platform_id, currency, memo))"
                                + " insert into journal_line (entry_id, line_no, account, currency, debit, credit)"
                                + " select entry_id, line_no, account, currency, debit, credit"
                                + " from unnest(?::int8[], ?::int4[], ?::text[], ?::text[], ?::text[]::numeric[], ?::text[]::numeric[])"
                                + " as l (entry_id, line_no, account, currency, debit, credit)")) {
            int p = 1;
            for (int i = 0; i < entries.length; i++) {
                ps.setArray(p++, c.createArrayOf(ENTRY_TYPES[i], entries[i]));
            }
            for (int i = 0; i < lines.length; i++) {
                ps.setArray(p++, c.createArrayOf(LINE_TYPES[i], lines[i]));
            }
            ps.executeUpdate();
        }
    }

    /**
     * Appends the entries that paying a payout line posts (they belong to the line, not to a
     * period); checked at commit like every entry.
     */
    public void postPayout(Connection c, long payoutLineId, List<JournalEntry> entries)
            throws SQLException {
        for (JournalEntry entry : entries) {
            long id;
            try (PreparedStatement ps =
                    c.prepareStatement(
                            "insert into journal_entry (currency, memo, posted_at, payout_line_id)"
                                    + " values (?, ?, now(), ?) returning id")) {
                ps.setString(1, entry.currency());
                ps.setString(2, entry.memo());
                ps.setLong(3, payoutLineId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    id = rs.getLong(1);
                }
            }
            try (PreparedStatement ps =
                    c.prepareStatement(
                            "insert into journal_line (entry_id, line_no, account, currency, debit, credit)"
                                    + " values (?, ?, ?, ?, ?, ?)")) {
                int n = 0;
                for (JournalLine line : entry.lines()) {
                    ps.setLong(1, id);
                    ps.setInt(2, ++n);
                    ps.setString(3, line.account());
                    ps.setString(4, line.currency());
                    ps.setBigDecimal(5, line.debit());
                    ps.setBigDecimal(6, line.credit());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
    }

    public List<PostedEntry> entries(Connection c, YearMonth period) throws SQLException {
        record Head(long id, Instant postedAt, String platformId, String currency, String memo) {}
        Map<Head, List<JournalLine>> entries = new LinkedHashMap<>();
        try (PreparedStatement ps =
                c.prepareStatement(
                        "select e.id, e.posted_at, e.platform_id, e.currency, e.memo, l.account, l.currency, l.debit, l.credit"
                                + " from journal_entry e join journal_line l on l.entry_id = e.id where e.period = ? order by e.id, l.line_no")) {
            ps.setString(1, period.toString());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Head head =
                            new Head(
                                    rs.getLong(1),
                                    rs.getTimestamp(2).toInstant(),
                                    rs.getString(3),
                                    rs.getString(4),
                                    rs.getString(5));
                    entries.computeIfAbsent(head, h -> new ArrayList<>())
                            .add(
                                    new JournalLine(
                                            rs.getString(6),
                                            rs.getString(7),
                                            rs.getBigDecimal(8),
                                            rs.getBigDecimal(9)));
                }
            }
        }
        List<PostedEntry> out = new ArrayList<>();
        entries.forEach(
                (h, lines) ->
                        out.add(
                                new PostedEntry(
                                        h.id(),
                                        h.postedAt(),
                                        new JournalEntry(
                                                period,
                                                h.platformId(),
                                                h.currency(),
                                                h.memo(),
                                                lines))));
        return out;
    }

    public List<AccountBalance> balances(Connection c, Instant asOf) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "select l.account, l.currency, sum(l.credit) - sum(l.debit) from journal_line l join journal_entry e on e.id = l.entry_id"
                                + " where e.posted_at <= ? group by 1, 2 order by 1, 2")) {
            ps.setTimestamp(1, Timestamp.from(asOf));
            return Rows.list(
                    ps,
                    rs ->
                            new AccountBalance(
                                    rs.getString(1), rs.getString(2), rs.getBigDecimal(3)));
        }
    }
}
