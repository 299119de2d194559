package dev.fairshare.settlement.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fairshare.settlement.domain.DeclaredPool;
import dev.fairshare.settlement.domain.ReplacedPool;
import dev.fairshare.settlement.engine.Pool;
import dev.fairshare.settlement.engine.PoolMethod;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The platforms' declared revenue pools: the current declaration of each (platform, period), and
 * every declaration a later one replaced (who declared it and when, who replaced it and when).
 */
@ApplicationScoped
public class PoolStore {
    private final ObjectMapper mapper;

    public PoolStore(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    private static final String COLUMNS =
            "platform_id, period, currency, revenue, maker_share, metric, method, fees, declared_by,"
                    + " declared_at";

    /**
     * Stores {@code pool} as the platform's declaration for its period, keeping the one it replaces
     * (if any) in the history. Returns the replaced declaration.
     */
    public Optional<DeclaredPool> declare(Connection c, Pool pool, String who, Instant at)
            throws SQLException {
        Optional<DeclaredPool> previous = find(c, pool.platformId(), pool.period(), true);
        if (previous.isPresent()) {
            try (PreparedStatement ps =
                    c.prepareStatement(
                            "insert into pool_history ("
                                    + COLUMNS
                                    + ", replaced_by, replaced_at)"
                                    + " select "
                                    + COLUMNS
                                    + ", ?, ? from pool where platform_id = ? and period = ?")) {
                ps.setString(1, who);
                ps.setTimestamp(2, Timestamp.from(at));
                ps.setString(3, pool.platformId());
                ps.setString(4, pool.period().toString());
                ps.executeUpdate();
            }
        }
        try (PreparedStatement ps =
                c.prepareStatement(
                        "insert into pool ("
                                + COLUMNS
                                + ") values (?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?)"
                                + " on conflict (platform_id, period) do update set currency = excluded.currency,"
                                + " revenue = excluded.revenue, maker_share = excluded.maker_share,"
                                + " metric = excluded.metric, method = excluded.method, fees = excluded.fees,"
                                + " declared_by = excluded.declared_by, declared_at = excluded.declared_at")) {
            ps.setString(1, pool.platformId());
            ps.setString(2, pool.period().toString());
            ps.setString(3, pool.currency());
            ps.setBigDecimal(4, pool.revenue());
            ps.setBigDecimal(5, pool.makerShare());
            ps.setString(6, pool.metric());
            ps.setString(7, pool.method().name());
            ps.setString(8, pool.fees().isEmpty() ? null : json(pool.fees()));
            ps.setString(9, who);
            ps.setTimestamp(10, Timestamp.from(at));
            ps.executeUpdate();
        }
        return previous;
    }

    /** The platform's current declaration for the period, if any. */
    public Optional<DeclaredPool> find(Connection c, String platformId, YearMonth period)
            throws SQLException {
        return find(c, platformId, period, false);
    }

    private Optional<DeclaredPool> find(
            Connection c, String platformId, YearMonth period, boolean forUpdate)
            throws SQLException {
        return select(
                        c,
                        " from pool where platform_id = ? and period = ?"
                                + (forUpdate ? " for update" : ""),
                        this::declared,
                        platformId,
                        period.toString())
                .stream()
                .findFirst();
    }

    /** The current declarations, of one platform and/or one period when given. */
    public List<DeclaredPool> list(Connection c, String platformId, YearMonth period)
            throws SQLException {
        String p = period == null ? null : period.toString();
        return select(
                c,
                " from pool where (?::text is null or platform_id = ?)"
                        + " and (?::text is null or period = ?) order by period, platform_id",
                this::declared,
                platformId,
                platformId,
                p,
                p);
    }

    /** The declared pools of a period, by platform. */
    public Map<String, Pool> ofPeriod(Connection c, YearMonth period) throws SQLException {
        Map<String, Pool> out = new TreeMap<>();
        for (DeclaredPool d : list(c, null, period)) {
            out.put(d.pool().platformId(), d.pool());
        }
        return out;
    }

    /** The declarations of a platform's pool that later ones replaced, oldest first. */
    public List<ReplacedPool> history(Connection c, String platformId, YearMonth period)
            throws SQLException {
        return select(
                c,
                ", replaced_by, replaced_at from pool_history"
                        + " where platform_id = ? and period = ? order by id",
                rs ->
                        new ReplacedPool(
                                declared(rs), rs.getString(11), rs.getTimestamp(12).toInstant()),
                platformId,
                period.toString());
    }

    /**
     * The rows that {@code query} answers after the select of a declaration's {@link #COLUMNS},
     * read by {@code reader}: {@code query}'s parameters are {@code parameters}, in order.
     */
    private static <T> List<T> select(
            Connection c, String query, Rows.Reader<T> reader, String... parameters)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select " + COLUMNS + query)) {
            for (int i = 0; i < parameters.length; i++) {
                ps.setString(i + 1, parameters[i]);
            }
            return Rows.list(ps, reader);
        }
    }

    private DeclaredPool declared(ResultSet rs) throws SQLException {
        String fees = rs.getString(8);
        Pool pool =
                new Pool(
                        rs.getString(1),
                        YearMonth.parse(rs.getString(2)),
                        rs.getString(3),
                        rs.getBigDecimal(4),
                        rs.getBigDecimal(5),
                        rs.getString(6),
                        PoolMethod.valueOf(rs.getString(7)),
                        fees == null ? Map.of() : fees(fees));
        return new DeclaredPool(pool, rs.getString(9), rs.getTimestamp(10).toInstant());
    }

    private Map<String, BigDecimal> fees(String json) throws SQLException {
        try {
            return mapper.readValue(json, new TypeReference<TreeMap<String, BigDecimal>>() {});
        } catch (JsonProcessingException e) {
            throw new SQLException("unreadable pool fees", e);
        }
    }

    private String json(Map<String, BigDecimal> fees) {
        Map<String, String> plain = new TreeMap<>();
        fees.forEach((k, v) -> plain.put(k, v.toPlainString()));
        try {
            return mapper.writeValueAsString(plain);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
