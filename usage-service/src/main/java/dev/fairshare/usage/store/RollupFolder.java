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
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Folds the writers' roll-up deltas ({@code usage_rollup_delta}) into {@code usage_rollup}: in one
 * transaction, every committed delta is deleted, summed per roll-up key and added to its row, so
 * each is added exactly once. One folder at a time (an advisory lock), rows locked in key order.
 * Readers sum {@code usage_rollup_all}, which sees a delta either before or after its fold, never
 * both.
 */
@ApplicationScoped
public class RollupFolder {
    private static final Logger LOG = Logger.getLogger(RollupFolder.class);
    private static final long LOCK_KEY = 0x726f6c6c7570L;
    private static final String KEY = "platform_id, model_id, day, customer_type, currency";

    static final String FOLD =
            "with moved as (delete from usage_rollup_delta returning *)"
                    + " insert into usage_rollup ("
                    + KEY
                    + ", events, revenue, "
                    + String.join(", ", EventStore.STANDARD_UNITS)
                    + ", other_units) select "
                    + KEY
                    + ", sum(events), sum(revenue), "
                    + EventStore.STANDARD_UNITS.stream()
                            .map(u -> "sum(" + u + ")")
                            .collect(Collectors.joining(", "))
                    // add_units is slow; most deltas have no unusual unit
                    + ", sum_units(other_units) filter (where other_units <> '{}'::jsonb)"
                    + " from moved group by "
                    + KEY
                    + " order by "
                    + KEY
                    + " on conflict ("
                    + KEY
                    + ") do update set"
                    + " events = usage_rollup.events + excluded.events, revenue = usage_rollup.revenue + excluded.revenue, "
                    + EventStore.STANDARD_UNITS.stream()
                            .map(u -> u + " = usage_rollup." + u + " + excluded." + u)
                            .collect(Collectors.joining(", "))
                    + ", other_units = case when excluded.other_units = '{}'::jsonb then usage_rollup.other_units"
                    + " else add_units(usage_rollup.other_units, excluded.other_units) end";

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
     * Folds every committed delta; answers how many roll-up rows it added to (0 when another folder
     * holds the lock or there was nothing to fold).
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
                    int rows = fold.executeUpdate();
                    c.commit();
                    if (rows > 0 && LOG.isDebugEnabled()) {
                        LOG.debugf(
                                "folded deltas into %d roll-up rows in %d ms",
                                rows, (System.nanoTime() - t0) / 1_000_000);
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
