package dev.fairshare.settlement.store;

import dev.fairshare.settlement.engine.CustomerType;
import dev.fairshare.settlement.engine.LineKind;
import dev.fairshare.settlement.engine.StatementLine;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/** Periods and the closed statements' lines. */
@ApplicationScoped
public class StatementStore {

    /** A period's state. */
    public record PeriodState(YearMonth period, String status, Instant closedAt) {}

    public List<PeriodState> periods(Connection c) throws SQLException {
        List<PeriodState> out = new ArrayList<>();
        try (PreparedStatement ps =
                        c.prepareStatement(
                                "select period, status, closed_at from period order by period");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(
                        new PeriodState(
                                YearMonth.parse(rs.getString(1)),
                                rs.getString(2),
                                rs.getTimestamp(3) == null
                                        ? null
                                        : rs.getTimestamp(3).toInstant()));
            }
        }
        return out;
    }

    /** The CLOSED periods. */
    public java.util.SortedSet<YearMonth> closed(Connection c) throws SQLException {
        java.util.SortedSet<YearMonth> out = new java.util.TreeSet<>();
        for (PeriodState p : periods(c)) {
            if ("CLOSED".equals(p.status())) {
                out.add(p.period());
            }
        }
        return out;
    }

    /** Serialises closes: held until the transaction ends; readers are not blocked. */
    public void lockPeriods(Connection c) throws SQLException {
        try (java.sql.Statement s = c.createStatement()) {
            s.execute("lock table period in share row exclusive mode");
        }
    }

    /** Locks the period's row (creating it OPEN) for the rest of the transaction. */
    public PeriodState lock(Connection c, YearMonth period) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "insert into period (period, status) values (?, 'OPEN') on conflict do nothing")) {
            ps.setString(1, period.toString());
            ps.executeUpdate();
        }
        try (PreparedStatement ps =
                c.prepareStatement(
                        "select status, closed_at from period where period = ? for update")) {
            ps.setString(1, period.toString());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new PeriodState(
                        period,
                        rs.getString(1),
                        rs.getTimestamp(2) == null ? null : rs.getTimestamp(2).toInstant());
            }
        }
    }

    public Optional<PeriodState> period(Connection c, YearMonth period) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("select status, closed_at from period where period = ?")) {
            ps.setString(1, period.toString());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next()
                        ? Optional.of(
                                new PeriodState(
                                        period,
                                        rs.getString(1),
                                        rs.getTimestamp(2) == null
                                                ? null
                                                : rs.getTimestamp(2).toInstant()))
                        : Optional.empty();
            }
        }
    }

    /** Marks the period CLOSED and answers the instant it was closed at. */
    public Instant markClosed(Connection c, YearMonth period) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "update period set status = 'CLOSED', closed_at = now() where period = ? returning closed_at")) {
            ps.setString(1, period.toString());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getTimestamp(1).toInstant();
            }
        }
    }

    /** Stores a statement's lines, numbered in order, with one COPY. */
    public void insertLines(Connection c, YearMonth period, List<StatementLine> lines)
            throws SQLException {
        String p = period.toString();
        // streamed in slices: the server parses one slice while the next is written
        CopyIn copy =
                c.unwrap(PGConnection.class)
                        .getCopyAPI()
                        .copyIn(
                                "copy statement_line (period, line_no, maker_id, platform_id, model_id, agreement_id, kind,"
                                        + " source_model_id, customer_type, basis, exact_amount, amount, currency, adjusts_period)"
                                        + " from stdin");
        try {
            StringBuilder rows = new StringBuilder(COPY_SLICE + 4096);
            int n = 0;
            for (StatementLine l : lines) {
                CopyText.row(
                        rows,
                        p,
                        ++n,
                        l.makerId(),
                        l.platformId(),
                        l.modelId(),
                        l.agreementId(),
                        l.kind(),
                        l.sourceModelId(),
                        l.customerType(),
                        l.basis().toPlainString(),
                        l.exactAmount().toPlainString(),
                        l.amount().toPlainString(),
                        l.currency(),
                        l.adjustsPeriod());
                if (rows.length() >= COPY_SLICE) {
                    send(copy, rows);
                }
            }
            send(copy, rows);
            copy.endCopy();
        } finally {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        }
    }

    /** Characters of COPY text sent to the server at a time. */
    private static final int COPY_SLICE = 64 * 1024;

    private static void send(CopyIn copy, StringBuilder rows) throws SQLException {
        if (rows.length() > 0) {
            byte[] bytes = rows.toString().getBytes(StandardCharsets.UTF_8);
            copy.writeToCopy(bytes, 0, bytes.length);
            rows.setLength(0);
        }
    }

    public List<StatementLine> lines(Connection c, YearMonth period) throws SQLException {
        List<StatementLine> out = new ArrayList<>();
        forEachLine(c, period, out::add);
        return out;
    }

    /**
     * Streams a closed statement's lines through a cursor, a page at a time, so that a statement of
     * any size needs memory for one page only. {@code c} must not be in auto-commit mode.
     */
    public void forEachLine(
            Connection c, YearMonth period, java.util.function.Consumer<StatementLine> sink)
            throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "select maker_id, platform_id, model_id, agreement_id, kind, source_model_id, customer_type, basis, exact_amount,"
                                + " amount, currency, adjusts_period from statement_line where period = ? order by line_no")) {
            ps.setString(1, period.toString());
            ps.setFetchSize(1000);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    sink.accept(
                            new StatementLine(
                                    period,
                                    rs.getString(1),
                                    rs.getString(2),
                                    rs.getString(3),
                                    rs.getString(4),
                                    LineKind.valueOf(rs.getString(5)),
                                    rs.getString(6),
                                    rs.getString(7) == null
                                            ? null
                                            : CustomerType.valueOf(rs.getString(7)),
                                    rs.getBigDecimal(8),
                                    rs.getBigDecimal(9),
                                    rs.getBigDecimal(10),
                                    rs.getString(11),
                                    rs.getString(12) == null
                                            ? null
                                            : YearMonth.parse(rs.getString(12))));
                }
            }
        }
    }
}
