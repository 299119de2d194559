package dev.fairshare.settlement.store;

import dev.fairshare.settlement.domain.PeriodState;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/** Periods and the closed statements' lines. */
@ApplicationScoped
public class StatementStore {
    private static final org.jboss.logging.Logger LOG =
            org.jboss.logging.Logger.getLogger(StatementStore.class);

    public List<PeriodState> periods(Connection c) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "select period, status, closed_at from period order by period")) {
            return Rows.list(
                    ps,
                    rs ->
                            new PeriodState(
                                    YearMonth.parse(rs.getString(1)),
                                    rs.getString(2),
                                    rs.getTimestamp(3) == null
                                            ? null
                                            : rs.getTimestamp(3).toInstant()));
        }
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

    /**
     * Waits for a close in progress and keeps one from starting until the transaction ends (a close
     * holds {@link #lockPeriods}, which conflicts with this one); other holders of this lock are
     * not blocked.
     */
    public void lockPeriodsAgainstClose(Connection c) throws SQLException {
        try (java.sql.Statement s = c.createStatement()) {
            s.execute("lock table period in share mode");
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
    /**
     * Copies a statement's lines into {@code statement_line}, numbered in order. Turning exact
     * amounts into text is most of the work: the second half of the lines is formatted on {@code
     * executor} while the first half is formatted and streamed here.
     */
    public void insertLines(
            Connection c, YearMonth period, List<StatementLine> lines, Executor executor)
            throws SQLException {
        String p = period.toString();
        int half = lines.size() / 2;
        CompletableFuture<List<byte[]>> second =
                CompletableFuture.supplyAsync(
                        () -> {
                            List<byte[]> slices = new ArrayList<>();
                            format(p, lines, half, lines.size(), slices::add);
                            return slices;
                        },
                        executor);
        CopyIn copy =
                c.unwrap(PGConnection.class)
                        .getCopyAPI()
                        .copyIn(
                                "copy statement_line (period, line_no, maker_id, platform_id, model_id, agreement_id, kind,"
                                        + " source_model_id, customer_type, basis, exact_amount, amount, currency, adjusts_period, path)"
                                        + " from stdin");
        long started = System.nanoTime();
        try {
            // the server parses each slice while the next is formatted
            format(
                    p,
                    lines,
                    0,
                    half,
                    slice -> {
                        try {
                            copy.writeToCopy(slice, 0, slice.length);
                        } catch (SQLException e) {
                            throw new UncheckedSql(e);
                        }
                    });
            long firstHalf = System.nanoTime();
            for (byte[] slice : second.join()) {
                copy.writeToCopy(slice, 0, slice.length);
            }
            copy.endCopy();
            LOG.debugf(
                    "%s: %d lines copied, the first half formatted and sent in %d ms, the rest in %d ms",
                    period,
                    lines.size(),
                    (firstHalf - started) / 1_000_000,
                    (System.nanoTime() - firstHalf) / 1_000_000);
        } catch (UncheckedSql e) {
            throw e.getCause();
        } finally {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        }
    }

    /** An SQLException through a lambda. */
    private static final class UncheckedSql extends RuntimeException {
        UncheckedSql(SQLException cause) {
            super(cause);
        }

        @Override
        public synchronized SQLException getCause() {
            return (SQLException) super.getCause();
        }
    }

    /** Lines {@code from} to {@code to} (exclusive) as COPY text, in slices of UTF-8 bytes. */
    private static void format(
            String period, List<StatementLine> lines, int from, int to, Consumer<byte[]> out) {
        StringBuilder rows = new StringBuilder(COPY_SLICE + 4096);
        for (int i = from; i < to; i++) {
            StatementLine l = lines.get(i);
            CopyText.fields(
                    rows,
                    period,
                    i + 1,
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
            rows.append('\t');
            route(rows, l.path());
            rows.append('\n');
            if (rows.length() >= COPY_SLICE || i == to - 1) {
                out.accept(rows.toString().getBytes(StandardCharsets.UTF_8));
                rows.setLength(0);
            }
        }
    }

    /**
     * Appends the route as the COPY text of a text[] literal ({@code {"q","ft"}}), null for none;
     * ids with nothing to escape, the common case, are written as they are, without a literal of
     * their own.
     */
    private static void route(StringBuilder rows, List<String> path) {
        if (path.isEmpty()) {
            rows.append("\\N");
            return;
        }
        for (String id : path) {
            if (id.indexOf('"') >= 0 || !CopyText.clean(id)) {
                CopyText.value(rows, arrayLiteral(path));
                return;
            }
        }
        rows.append('{');
        for (int i = 0; i < path.size(); i++) {
            if (i > 0) {
                rows.append(',');
            }
            rows.append('"').append(path.get(i)).append('"');
        }
        rows.append('}');
    }

    /** A text[] literal of the route ({@code {"q","ft"}}). */
    static String arrayLiteral(List<String> path) {
        StringBuilder out = new StringBuilder(16 * path.size());
        out.append('{');
        for (int i = 0; i < path.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append('"');
            String id = path.get(i);
            for (int k = 0; k < id.length(); k++) {
                char ch = id.charAt(k);
                if (ch == '"' || ch == '\\') {
                    out.append('\\');
                }
                out.append(ch);
            }
            out.append('"');
        }
        return out.append('}').toString();
    }

    /** Characters of COPY text sent to the server at a time. */
    private static final int COPY_SLICE = 64 * 1024;

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
                                + " amount, currency, adjusts_period, path from statement_line where period = ? order by line_no")) {
            ps.setString(1, period.toString());
            ps.setFetchSize(1000);
            readLines(ps, period, sink);
        }
    }

    /**
     * The minimum-guarantee lines that concern {@code period}: its statement's top-ups and the
     * recoupments of later statements that adjust it.
     */
    public List<StatementLine> guaranteeLines(Connection c, YearMonth period) throws SQLException {
        List<StatementLine> out = new ArrayList<>();
        try (PreparedStatement ps =
                c.prepareStatement(
                        "select maker_id, platform_id, model_id, agreement_id, kind, source_model_id, customer_type, basis, exact_amount,"
                                + " amount, currency, adjusts_period, path, period from statement_line"
                                + " where kind in ('MINIMUM_GUARANTEE_TOPUP', 'GUARANTEE_RECOUPMENT')"
                                + " and coalesce(adjusts_period, period) = ?")) {
            ps.setString(1, period.toString());
            readLines(ps, null, out::add);
        }
        return out;
    }

    /**
     * The ids of the agreements {@code period}'s statements rated it with: those in force at its
     * close, and with {@code lateToo} also those recorded later whose usage a later statement
     * settled; empty if its close did not record them (it closed before closes did).
     */
    public Optional<java.util.Set<String>> agreementsOf(
            Connection c, YearMonth period, boolean lateToo) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("select agreements_recorded from period where period = ?")) {
            ps.setString(1, period.toString());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || !rs.getBoolean(1)) {
                    return Optional.empty();
                }
            }
        }
        java.util.Set<String> out = new java.util.HashSet<>();
        try (PreparedStatement ps =
                c.prepareStatement(
                        "select agreement_id from period_agreement where period = ?"
                                + (lateToo ? "" : " and settled_in is null"))) {
            ps.setString(1, period.toString());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return Optional.of(out);
    }

    /**
     * Records agreements that rated {@code period}: at its close ({@code settledIn} null), or, for
     * agreements recorded after it, by the statement of {@code settledIn}.
     */
    public void recordAgreements(
            Connection c, YearMonth period, java.util.Collection<String> ids, YearMonth settledIn)
            throws SQLException {
        if (settledIn == null) {
            try (PreparedStatement ps =
                    c.prepareStatement(
                            "update period set agreements_recorded = true where period = ?")) {
                ps.setString(1, period.toString());
                ps.executeUpdate();
            }
        }
        if (ids.isEmpty()) {
            return;
        }
        try (PreparedStatement ps =
                c.prepareStatement(
                        "insert into period_agreement (period, agreement_id, settled_in)"
                                + " select ?, unnest(?::text[]), ? on conflict do nothing")) {
            ps.setString(1, period.toString());
            ps.setArray(2, c.createArrayOf("text", ids.toArray()));
            ps.setString(3, settledIn == null ? null : settledIn.toString());
            ps.executeUpdate();
        }
    }

    /**
     * Reads lines whose columns are those of {@link #forEachLine}: of {@code period}, or, when it
     * is null, of the period in a 14th column.
     */
    private static void readLines(
            PreparedStatement ps, YearMonth period, Consumer<StatementLine> sink)
            throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                java.sql.Array path = rs.getArray(13);
                sink.accept(
                        new StatementLine(
                                period != null ? period : YearMonth.parse(rs.getString(14)),
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
                                rs.getString(12) == null ? null : YearMonth.parse(rs.getString(12)),
                                path == null ? List.of() : List.of((String[]) path.getArray())));
            }
        }
    }
}
