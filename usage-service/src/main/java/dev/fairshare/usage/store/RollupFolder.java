package dev.fairshare.usage.store;

import dev.fairshare.usage.config.UsageConfig;
import dev.fairshare.usage.runtime.Daemon;
import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Folds the writers' roll-up sums ({@code usage_rollup_batch}, one row a committed batch) into
 * {@code usage_rollup} and the outbox: in one transaction, every committed batch row is deleted,
 * its sums are added per roll-up key to {@code usage_rollup}, and the fold's sums are written to
 * {@code attributed_outbox} as {@code usage.attributed} deltas, one per (model, platform), their
 * batch id the fold's. So each batch is added exactly once to both. One folder at a time (an
 * advisory lock), rows upserted in key order. Readers sum {@code usage_rollup_all}, which sees a
 * batch either before or after its fold, never both.
 */
@ApplicationScoped
public class RollupFolder {
    private static final Logger LOG = Logger.getLogger(RollupFolder.class);
    private static final long LOCK_KEY = 0x726f6c6c7570L;
    private static final String KEY = "platform_id, model_id, day, customer_type, currency";

    /** The units of a folded row for {@code usage.attributed}: those that occurred, as strings. */
    private static final String UNITS_AS_STRINGS =
            "jsonb_strip_nulls(jsonb_build_object("
                    + EventStore.STANDARD_UNITS.stream()
                            .map(u -> "'" + u + "', " + u + "::text")
                            .collect(Collectors.joining(", "))
                    + ")) || coalesce((select jsonb_object_agg(key, value #>> '{}') from jsonb_each(other_units)), '{}'::jsonb)";

    /**
     * Parameter: the fold's id, the batch id of its deltas. Answers the roll-up rows and deltas.
     */
    static final String FOLD =
            "with moved as (delete from usage_rollup_batch returning deltas),"
                    + " summed as (select "
                    + KEY
                    + ", sum(events) as events, sum(revenue) as revenue, "
                    // null where no event had the unit: left out of the delta's units
                    + EventStore.STANDARD_UNITS.stream()
                            .map(u -> "sum(" + u + ") as " + u)
                            .collect(Collectors.joining(", "))
                    // add_units is slow; most sums have no unusual unit
                    + ", sum_units(other_units) filter (where other_units is not null) as other_units"
                    + " from moved, usage_rollup_batch_rows(moved.deltas) group by "
                    + KEY
                    + "),"
                    + " rolled as (insert into usage_rollup ("
                    + KEY
                    + ", events, revenue, "
                    + String.join(", ", EventStore.STANDARD_UNITS)
                    + ", other_units) select "
                    + KEY
                    + ", events, revenue, "
                    + EventStore.STANDARD_UNITS.stream()
                            .map(u -> "coalesce(" + u + ", 0)")
                            .collect(Collectors.joining(", "))
                    + ", other_units from summed order by "
                    + KEY
                    + " on conflict ("
                    + KEY
                    + ") do update set"
                    + " events = usage_rollup.events + excluded.events, revenue = usage_rollup.revenue + excluded.revenue, "
                    + EventStore.STANDARD_UNITS.stream()
                            .map(u -> u + " = usage_rollup." + u + " + excluded." + u)
                            .collect(Collectors.joining(", "))
                    + ", other_units = case when excluded.other_units = '{}'::jsonb then usage_rollup.other_units"
                    + " else add_units(usage_rollup.other_units, excluded.other_units) end"
                    + " returning 1),"
                    + " delta_rows as (select model_id, platform_id, json_build_object('platformId', platform_id,"
                    + " 'day', day, 'customerType', customer_type, 'currency', currency, 'events', events,"
                    + " 'revenue', revenue::text, 'units', "
                    + UNITS_AS_STRINGS
                    + ") as delta_row, day, customer_type, currency from summed),"
                    + " deltas as (select ?::text || '/' || row_number() over (order by model_id, platform_id) as delta_id,"
                    + " model_id, json_agg(delta_row order by day, customer_type, currency) as delta_rows"
                    + " from delta_rows group by model_id, platform_id),"
                    + " sent as (insert into attributed_outbox (delta_id, model_id, payload, created_at)"
                    + " select delta_id, model_id, json_build_object('deltaId', delta_id, 'batchId', ?::text,"
                    + " 'modelId', model_id, 'rows', delta_rows)::text, now() from deltas order by delta_id"
                    + " returning 1)"
                    + " select (select count(*) from rolled), (select count(*) from sent)";

    private final AgroalDataSource dataSource;
    private final UsageConfig config;
    private final Daemon daemon = new Daemon("rollup-folder", this::loop, true);

    public RollupFolder(AgroalDataSource dataSource, UsageConfig config) {
        this.dataSource = dataSource;
        this.config = config;
    }

    void start(@Observes StartupEvent event) {
        daemon.start();
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        daemon.stop();
    }

    private void loop() {
        while (daemon.running()) {
            try {
                Thread.sleep(config.rollupFoldInterval().toMillis());
                foldOnce();
            } catch (InterruptedException e) {
                return;
            } catch (SQLException | RuntimeException e) {
                LOG.warnf("roll-up fold failed, will retry: %s", e.toString());
            }
        }
    }

    /**
     * Folds every committed batch's sums; answers how many roll-up rows it added to (0 when another
     * folder holds the lock or there was nothing to fold).
     */
    public int foldOnce() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement lock =
                                c.prepareStatement("select pg_try_advisory_xact_lock(?)");
                        PreparedStatement fold = c.prepareStatement(FOLD)) {
                    lock.setLong(1, LOCK_KEY);
                    try (ResultSet rs = lock.executeQuery()) {
                        rs.next();
                        if (!rs.getBoolean(1)) {
                            c.rollback();
                            return 0;
                        }
                    }
                    long t0 = System.nanoTime();
                    String foldId = UUID.randomUUID().toString();
                    fold.setString(1, foldId);
                    fold.setString(2, foldId);
                    int rows;
                    int deltas;
                    try (ResultSet rs = fold.executeQuery()) {
                        rs.next();
                        rows = rs.getInt(1);
                        deltas = rs.getInt(2);
                    }
                    c.commit();
                    if (rows > 0 && LOG.isDebugEnabled()) {
                        LOG.debugf(
                                "folded batches into %d roll-up rows and %d usage.attributed deltas in %d ms",
                                rows, deltas, (System.nanoTime() - t0) / 1_000_000);
                    }
                    return rows;
                }
            } catch (SQLException | RuntimeException e) {
                // Agroal commits an open transaction when a connection goes back to the pool
                c.rollback();
                throw e;
            }
        }
    }
}
