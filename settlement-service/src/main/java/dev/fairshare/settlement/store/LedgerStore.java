package dev.fairshare.settlement.store;

import dev.fairshare.settlement.engine.JournalEntry;
import dev.fairshare.settlement.engine.JournalLine;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The journal: entries are only ever appended (the database refuses updates and deletes), and an
 * entry that does not balance is refused at commit by a deferred constraint trigger.
 */
@ApplicationScoped
public class LedgerStore {

    /** A posted entry with its id and time. */
    public record Posted(long id, Instant postedAt, JournalEntry entry) {}

    /** An account's balance in one currency: credits − debits. */
    public record Balance(String account, String currency, BigDecimal balance) {}

    public void post(Connection c, List<JournalEntry> entries) throws SQLException {
        try (PreparedStatement e =
                        c.prepareStatement(
                                "insert into journal_entry (period, platform_id, currency, memo, posted_at) values (?, ?, ?, ?, now()) returning id");
                PreparedStatement l =
                        c.prepareStatement(
                                "insert into journal_line (entry_id, line_no, account, currency, debit, credit) values (?, ?, ?, ?, ?, ?)")) {
            for (JournalEntry entry : entries) {
                e.setString(1, entry.period().toString());
                e.setString(2, entry.platformId());
                e.setString(3, entry.currency());
                e.setString(4, entry.memo());
                long id;
                try (ResultSet rs = e.executeQuery()) {
                    rs.next();
                    id = rs.getLong(1);
                }
                int n = 0;
                for (JournalLine line : entry.lines()) {
                    l.setLong(1, id);
                    l.setInt(2, ++n);
                    l.setString(3, line.account());
                    l.setString(4, line.currency());
                    l.setBigDecimal(5, line.debit());
                    l.setBigDecimal(6, line.credit());
                    l.addBatch();
                }
            }
            l.executeBatch();
        }
    }

    public List<Posted> entries(Connection c, YearMonth period) throws SQLException {
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
        List<Posted> out = new ArrayList<>();
        entries.forEach(
                (h, lines) ->
                        out.add(
                                new Posted(
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

    public List<Balance> balances(Connection c, Instant asOf) throws SQLException {
        List<Balance> out = new ArrayList<>();
        try (PreparedStatement ps =
                c.prepareStatement(
                        "select l.account, l.currency, sum(l.credit) - sum(l.debit) from journal_line l join journal_entry e on e.id = l.entry_id"
                                + " where e.posted_at <= ? group by 1, 2 order by 1, 2")) {
            ps.setTimestamp(1, Timestamp.from(asOf));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Balance(rs.getString(1), rs.getString(2), rs.getBigDecimal(3)));
                }
            }
        }
        return out;
    }
}
