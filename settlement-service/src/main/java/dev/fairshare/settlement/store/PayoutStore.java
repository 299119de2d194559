package dev.fairshare.settlement.store;

import dev.fairshare.settlement.domain.CarryForward;
import dev.fairshare.settlement.domain.FxRate;
import dev.fairshare.settlement.domain.PayoutLine;
import dev.fairshare.settlement.domain.PayoutPart;
import dev.fairshare.settlement.domain.PayoutProfile;
import dev.fairshare.settlement.domain.PayoutRun;
import dev.fairshare.settlement.domain.PeriodTotal;
import dev.fairshare.settlement.domain.ProfileChange;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/** Payout profiles, FX rates, runs, their lines and carry-forwards (plain JDBC). */
@ApplicationScoped
public class PayoutStore {

    // ---------------------------------------------------------------- profiles

    public Optional<PayoutProfile> profile(Connection c, String makerId, boolean forUpdate)
            throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "select maker_id, currency, threshold, payee_name, iban, bic, provider_account,"
                                + " updated_at, updated_by from payout_profile where maker_id = ?"
                                + (forUpdate ? " for update" : ""))) {
            ps.setString(1, makerId);
            return Rows.first(ps, PayoutStore::profile);
        }
    }

    public Map<String, PayoutProfile> profiles(Connection c) throws SQLException {
        Map<String, PayoutProfile> out = new TreeMap<>();
        try (PreparedStatement ps =
                        c.prepareStatement(
                                "select maker_id, currency, threshold, payee_name, iban, bic, provider_account,"
                                        + " updated_at, updated_by from payout_profile");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                PayoutProfile p = profile(rs);
                out.put(p.makerId(), p);
            }
        }
        return out;
    }

    private static PayoutProfile profile(ResultSet rs) throws SQLException {
        return new PayoutProfile(
                rs.getString(1),
                rs.getString(2),
                rs.getBigDecimal(3),
                rs.getString(4),
                rs.getString(5),
                rs.getString(6),
                rs.getString(7),
                rs.getTimestamp(8).toInstant(),
                rs.getString(9));
    }

    public void saveProfile(Connection c, PayoutProfile p) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "insert into payout_profile (maker_id, currency, threshold, payee_name, iban, bic,"
                                + " provider_account, updated_at, updated_by) values (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                                + " on conflict (maker_id) do update set currency = excluded.currency,"
                                + " threshold = excluded.threshold, payee_name = excluded.payee_name,"
                                + " iban = excluded.iban, bic = excluded.bic,"
                                + " provider_account = excluded.provider_account,"
                                + " updated_at = excluded.updated_at, updated_by = excluded.updated_by")) {
            ps.setString(1, p.makerId());
            ps.setString(2, p.currency());
            ps.setBigDecimal(3, p.threshold());
            ps.setString(4, p.payeeName());
            ps.setString(5, p.iban());
            ps.setString(6, p.bic());
            ps.setString(7, p.providerAccount());
            ps.setTimestamp(8, Timestamp.from(p.updatedAt()));
            ps.setString(9, p.updatedBy());
            ps.executeUpdate();
        }
    }

    public void recordChange(Connection c, String makerId, ProfileChange change)
            throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "insert into payout_profile_change (maker_id, changed_at, changed_by, old_masked,"
                                + " new_masked) values (?, ?, ?, ?, ?)")) {
            ps.setString(1, makerId);
            ps.setTimestamp(2, Timestamp.from(change.changedAt()));
            ps.setString(3, change.changedBy());
            ps.setString(4, change.oldMasked());
            ps.setString(5, change.newMasked());
            ps.executeUpdate();
        }
    }

    public List<ProfileChange> changes(Connection c, String makerId) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "select changed_at, changed_by, old_masked, new_masked from payout_profile_change"
                                + " where maker_id = ? order by id")) {
            ps.setString(1, makerId);
            return Rows.list(
                    ps,
                    rs ->
                            new ProfileChange(
                                    rs.getTimestamp(1).toInstant(),
                                    rs.getString(2),
                                    rs.getString(3),
                                    rs.getString(4)));
        }
    }

    /**
     * Whether the maker's payee details changed since its last payout line: a change recorded after
     * the creation of the last run that had a line for it, or, before any, a change after the
     * profile's first version.
     */
    public boolean payeeChangedSinceLastRun(Connection c, String makerId) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "with last_run as (select max(r.created_at) as at from payout_line l"
                                + " join payout_run r on r.id = l.run_id where l.maker_id = ?)"
                                + " select case when (select at from last_run) is null"
                                + " then (select count(*) > 1 from payout_profile_change where maker_id = ?)"
                                + " else exists (select 1 from payout_profile_change where maker_id = ?"
                                + " and changed_at > (select at from last_run)) end")) {
            ps.setString(1, makerId);
            ps.setString(2, makerId);
            ps.setString(3, makerId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /**
     * The maker's statement totals of the periods a run covers for it: those that ended by the
     * run's {@code asOf} and after the {@code asOf} of the last earlier run (not cancelled) that
     * had a line for it.
     */
    public List<PeriodTotal> periodsCovered(Connection c, PayoutRun run, String makerId)
            throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "with since as (select max(r.as_of) as as_of from payout_run r join payout_line l"
                                + " on l.run_id = r.id where l.maker_id = ? and r.id < ? and r.status <> 'CANCELLED')"
                                + " select period, currency, sum(amount) from statement_line where maker_id = ?"
                                + " and to_date(period, 'YYYY-MM') + interval '1 month' <= ?::date + 1"
                                + " and ((select as_of from since) is null"
                                + " or to_date(period, 'YYYY-MM') + interval '1 month' > (select as_of from since) + 1)"
                                + " group by 1, 2 order by 1, 2")) {
            ps.setString(1, makerId);
            ps.setLong(2, run.id());
            ps.setString(3, makerId);
            ps.setDate(4, Date.valueOf(run.asOf()));
            return Rows.list(
                    ps,
                    rs ->
                            new PeriodTotal(
                                    rs.getString(1), rs.getString(2).trim(), rs.getBigDecimal(3)));
        }
    }

    // ---------------------------------------------------------------- FX rates

    /** Records a rate; false when one is already recorded for that day and pair. */
    public boolean insertRate(Connection c, FxRate r) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "insert into fx_rate (rate_date, base, quote, rate, source, recorded_by, recorded_at)"
                                + " values (?, ?, ?, ?, ?, ?, ?) on conflict do nothing")) {
            ps.setDate(1, Date.valueOf(r.date()));
            ps.setString(2, r.base());
            ps.setString(3, r.quote());
            ps.setBigDecimal(4, r.rate());
            ps.setString(5, r.source());
            ps.setString(6, r.recordedBy());
            ps.setTimestamp(7, Timestamp.from(r.recordedAt()));
            return ps.executeUpdate() == 1;
        }
    }

    /** Rates of a day (all days when null), into {@code quote} (any when null). */
    public List<FxRate> rates(Connection c, LocalDate date, String quote) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "select rate_date, base, quote, rate, source, recorded_by, recorded_at from fx_rate"
                                + " where (?::date is null or rate_date = ?::date) and (?::text is null or quote = ?)"
                                + " order by rate_date, base, quote")) {
            Date d = date == null ? null : Date.valueOf(date);
            ps.setObject(1, d, Types.DATE);
            ps.setObject(2, d, Types.DATE);
            ps.setString(3, quote);
            ps.setString(4, quote);
            return Rows.list(
                    ps,
                    rs ->
                            new FxRate(
                                    rs.getDate(1).toLocalDate(),
                                    rs.getString(2).trim(),
                                    rs.getString(3).trim(),
                                    rs.getBigDecimal(4),
                                    rs.getString(5),
                                    rs.getString(6),
                                    rs.getTimestamp(7).toInstant()));
        }
    }

    // ---------------------------------------------------------------- balances

    /**
     * Every maker's receivable balance per currency at the end of {@code asOf}: the entries of the
     * statements of periods that ended by then (only closed periods post any), and every paid
     * payout line's entries.
     */
    public Map<String, Map<String, BigDecimal>> makerBalances(Connection c, LocalDate asOf)
            throws SQLException {
        Map<String, Map<String, BigDecimal>> out = new TreeMap<>();
        try (PreparedStatement ps =
                c.prepareStatement(
                        "select substring(l.account from 7 for length(l.account) - 17), l.currency,"
                                + " sum(l.credit) - sum(l.debit)"
                                + " from journal_line l join journal_entry e on e.id = l.entry_id"
                                + " where l.account like 'maker:%:receivable'"
                                + " and (e.payout_line_id is not null"
                                + " or to_date(e.period, 'YYYY-MM') + interval '1 month' <= ?::date + 1)"
                                + " group by 1, 2")) {
            ps.setDate(1, Date.valueOf(asOf));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(rs.getString(1), k -> new TreeMap<>())
                            .put(rs.getString(2).trim(), rs.getBigDecimal(3));
                }
            }
        }
        return out;
    }

    /** Makers with a line still PENDING in an unfinished run. */
    public Set<String> makersBeingPaid(Connection c) throws SQLException {
        Set<String> out = new HashSet<>();
        try (PreparedStatement ps =
                        c.prepareStatement(
                                "select distinct l.maker_id from payout_line l join payout_run r on r.id = l.run_id"
                                        + " where l.status = 'PENDING' and r.status in ('DRAFT', 'APPROVED', 'EXPORTED')");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- runs

    /** Serialises the creation of runs: held until the transaction ends. */
    public void lockRuns(Connection c) throws SQLException {
        try (java.sql.Statement s = c.createStatement()) {
            s.execute("lock table payout_run in share row exclusive mode");
        }
    }

    public Optional<PayoutRun> unfinishedRun(Connection c, String currency) throws SQLException {
        return runs(c, "currency = ? and status in ('DRAFT', 'APPROVED', 'EXPORTED')", currency)
                .stream()
                .findFirst();
    }

    public Optional<PayoutRun> run(Connection c, long id, boolean forUpdate) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        RUN_COLUMNS + " where id = ?" + (forUpdate ? " for update" : ""))) {
            ps.setLong(1, id);
            return Rows.first(ps, PayoutStore::run);
        }
    }

    /** Runs, newest first; of one status when {@code status} is not null. */
    public List<PayoutRun> runs(Connection c, String status) throws SQLException {
        return status == null ? runs(c, "true", null) : runs(c, "status = ?", status);
    }

    private static final String RUN_COLUMNS =
            "select id, currency, as_of, status, created_by, created_at, approved_by, approved_at,"
                    + " exported_at from payout_run";

    private List<PayoutRun> runs(Connection c, String where, String arg) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(RUN_COLUMNS + " where " + where + " order by id desc")) {
            if (arg != null) {
                ps.setString(1, arg);
            }
            return Rows.list(ps, PayoutStore::run);
        }
    }

    private static PayoutRun run(ResultSet rs) throws SQLException {
        return new PayoutRun(
                rs.getLong(1),
                rs.getString(2).trim(),
                rs.getDate(3).toLocalDate(),
                rs.getString(4),
                rs.getString(5),
                rs.getTimestamp(6).toInstant(),
                rs.getString(7),
                instant(rs.getTimestamp(8)),
                instant(rs.getTimestamp(9)));
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    public long insertRun(Connection c, String currency, LocalDate asOf, String by, Instant at)
            throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "insert into payout_run (currency, as_of, status, created_by, created_at)"
                                + " values (?, ?, 'DRAFT', ?, ?)",
                        Statement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, currency);
            ps.setDate(2, Date.valueOf(asOf));
            ps.setString(3, by);
            ps.setTimestamp(4, Timestamp.from(at));
            ps.executeUpdate();
            try (ResultSet rs = ps.getGeneratedKeys()) {
                rs.next();
                return rs.getLong("id");
            }
        }
    }

    public long insertLine(Connection c, PayoutLine l) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "insert into payout_line (run_id, maker_id, amount, currency, payee_name, iban, bic,"
                                + " provider_account, payee_changed, status) values (?, ?, ?, ?, ?, ?, ?, ?, ?, 'PENDING')",
                        Statement.RETURN_GENERATED_KEYS)) {
            ps.setLong(1, l.runId());
            ps.setString(2, l.makerId());
            ps.setBigDecimal(3, l.amount());
            ps.setString(4, l.currency());
            ps.setString(5, l.payeeName());
            ps.setString(6, l.iban());
            ps.setString(7, l.bic());
            ps.setString(8, l.providerAccount());
            ps.setBoolean(9, l.payeeChanged());
            ps.executeUpdate();
            try (ResultSet rs = ps.getGeneratedKeys()) {
                rs.next();
                return rs.getLong("id");
            }
        }
    }

    public void insertPart(Connection c, PayoutPart p) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "insert into payout_line_part (line_id, currency, balance, rate, rate_source, converted)"
                                + " values (?, ?, ?, ?, ?, ?)")) {
            ps.setLong(1, p.lineId());
            ps.setString(2, p.currency());
            ps.setBigDecimal(3, p.balance());
            ps.setBigDecimal(4, p.rate());
            ps.setString(5, p.rateSource());
            ps.setBigDecimal(6, p.converted());
            ps.executeUpdate();
        }
    }

    public void insertCarryForward(Connection c, CarryForward cf) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "insert into payout_carry_forward (run_id, maker_id, currency, balance, reason)"
                                + " values (?, ?, ?, ?, ?)")) {
            ps.setLong(1, cf.runId());
            ps.setString(2, cf.makerId());
            ps.setString(3, cf.currency());
            ps.setBigDecimal(4, cf.balance());
            ps.setString(5, cf.reason());
            ps.executeUpdate();
        }
    }

    /** A run's lines, by maker. */
    public List<PayoutLine> lines(Connection c, long runId) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "select id, run_id, maker_id, amount, currency, payee_name, iban, bic, provider_account,"
                                + " payee_changed, status, reference, settled_by, settled_at from payout_line"
                                + " where run_id = ? order by maker_id")) {
            ps.setLong(1, runId);
            return Rows.list(
                    ps,
                    rs ->
                            new PayoutLine(
                                    rs.getLong(1),
                                    rs.getLong(2),
                                    rs.getString(3),
                                    rs.getBigDecimal(4),
                                    rs.getString(5).trim(),
                                    rs.getString(6),
                                    rs.getString(7),
                                    rs.getString(8),
                                    rs.getString(9),
                                    rs.getBoolean(10),
                                    rs.getString(11),
                                    rs.getString(12),
                                    rs.getString(13),
                                    instant(rs.getTimestamp(14))));
        }
    }

    /** The parts of a run's lines, by line and currency. */
    public List<PayoutPart> parts(Connection c, long runId) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "select p.line_id, p.currency, p.balance, p.rate, p.rate_source, p.converted"
                                + " from payout_line_part p join payout_line l on l.id = p.line_id"
                                + " where l.run_id = ? order by p.line_id, p.currency")) {
            ps.setLong(1, runId);
            return Rows.list(
                    ps,
                    rs ->
                            new PayoutPart(
                                    rs.getLong(1),
                                    rs.getString(2).trim(),
                                    rs.getBigDecimal(3),
                                    rs.getBigDecimal(4),
                                    rs.getString(5),
                                    rs.getBigDecimal(6)));
        }
    }

    public List<CarryForward> carryForwards(Connection c, long runId) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "select run_id, maker_id, currency, balance, reason from payout_carry_forward"
                                + " where run_id = ? order by maker_id, currency")) {
            ps.setLong(1, runId);
            return Rows.list(
                    ps,
                    rs ->
                            new CarryForward(
                                    rs.getLong(1),
                                    rs.getString(2),
                                    rs.getString(3).trim(),
                                    rs.getBigDecimal(4),
                                    rs.getString(5)));
        }
    }

    /** Sets a run's status, with who and when for an approval and when for the first export. */
    public void approve(Connection c, long runId, String by, Instant at) throws SQLException {
        update(
                c,
                "update payout_run set status = 'APPROVED', approved_by = ?, approved_at = ? where id = ?",
                by,
                at,
                runId);
    }

    public void export(Connection c, long runId, Instant at) throws SQLException {
        update(
                c,
                "update payout_run set status = 'EXPORTED', exported_at = coalesce(exported_at, ?)"
                        + " where id = ? and status in ('APPROVED', 'EXPORTED')",
                null,
                at,
                runId);
    }

    public void setStatus(Connection c, long runId, String status) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("update payout_run set status = ? where id = ?")) {
            ps.setString(1, status);
            ps.setLong(2, runId);
            ps.executeUpdate();
        }
    }

    private static void update(Connection c, String sql, String by, Instant at, long id)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            if (by != null) {
                ps.setString(i++, by);
            }
            ps.setTimestamp(i++, Timestamp.from(at));
            ps.setLong(i, id);
            ps.executeUpdate();
        }
    }

    /** Marks a PENDING line PAID or FAILED; false when it was not PENDING. */
    public boolean settleLine(
            Connection c, long lineId, String status, String reference, String by, Instant at)
            throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "update payout_line set status = ?, reference = ?, settled_by = ?, settled_at = ?"
                                + " where id = ? and status = 'PENDING'")) {
            ps.setString(1, status);
            ps.setString(2, reference);
            ps.setString(3, by);
            ps.setTimestamp(4, Timestamp.from(at));
            ps.setLong(5, lineId);
            return ps.executeUpdate() == 1;
        }
    }
}
