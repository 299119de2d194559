package dev.fairshare.usage.store;

import dev.fairshare.usage.config.Tracing;
import dev.fairshare.usage.config.UsageConfig;
import dev.fairshare.usage.runtime.BackgroundLoop;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Folds the writers' roll-up sums ({@code usage_rollup_batch}, one row a committed batch) into
 * {@code usage_rollup} and the outbox: in one transaction, every committed batch row is deleted,
 * its sums are added per roll-up key to {@code usage_rollup}, and the fold's sums are written to
 * {@code attributed_outbox} as {@code usage.attributed} deltas ({@link AttributedOutbox}), one per
 * (model, platform), their batch id the fold's. So each batch is added exactly once to both. One
 * folder at a time (an advisory lock), rows upserted in key order. Readers sum {@code
 * usage_rollup_all}, which sees a batch either before or after its fold, never both. A batch's
 * pooled sums left with the batch ({@link EventStore#applyRollup}) and reach the fold as sums
 * {@linkplain RollupKey#sent already sent}: added to the roll-up, not sent again. (A batch row
 * holding a subscriber's sums, as batches once did, is sent with the rest.)
 */
@ApplicationScoped
public class RollupFolder extends BackgroundLoop {
    private static final Logger LOG = Logger.getLogger(RollupFolder.class);
    private static final long LOCK_KEY = 0x726f6c6c7570L;

    /** {@code usage_rollup}'s key: no subscriber (see {@link #withoutSubscribers}). */
    private static final String KEY = "platform_id, model_id, day, customer_type, currency";

    /** The fold's sums, once per roll-up key, before they are added to {@code usage_rollup}. */
    static final String STAGE =
            "create temp table if not exists fold_stage (like usage_rollup) on commit delete rows";

    static final String STAGE_COPY =
            "copy fold_stage ("
                    + KEY
                    + ", events, revenue, "
                    + String.join(", ", EventStore.STANDARD_UNITS)
                    + ", other_units) from stdin";

    static final String FOLD =
            "insert into usage_rollup ("
                    + KEY
                    + ", events, revenue, "
                    + String.join(", ", EventStore.STANDARD_UNITS)
                    + ", other_units) select "
                    + KEY
                    + ", events, revenue, "
                    + String.join(", ", EventStore.STANDARD_UNITS)
                    + ", other_units from fold_stage order by "
                    + KEY
                    + " on conflict ("
                    + KEY
                    + ") do update set"
                    + " events = usage_rollup.events + excluded.events, revenue = usage_rollup.revenue + excluded.revenue, "
                    + EventStore.STANDARD_UNITS.stream()
                            .map(u -> u + " = usage_rollup." + u + " + excluded." + u)
                            .collect(Collectors.joining(", "))
                    // add_units is slow; most sums have no unusual unit
                    + ", other_units = case when excluded.other_units = '{}'::jsonb then usage_rollup.other_units"
                    + " else add_units(usage_rollup.other_units, excluded.other_units) end";

    /**
     * Roll-up keys a fold reads at most (a batch more, once it has begun one): the fold holds its
     * sums on a small heap, and the next fold starts at once while batches are left.
     */
    static final int FOLD_KEYS = 20_000;

    @Inject Transactions transactions;
    @Inject UsageConfig config;
    @Inject Tracing tracing;

    public RollupFolder() {
        super("rollup-folder", true);
    }

    @Override
    protected void loop() {
        while (running()) {
            try {
                Thread.sleep(config.rollupFoldInterval().toMillis());
                int keys;
                do {
                    keys = foldOnce();
                    // a full fold leaves batches: fold them now rather than after the pause
                } while (keys >= FOLD_KEYS && running());
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warnf("roll-up fold failed, will retry: %s", e.toString());
            }
        }
    }

    /**
     * Folds the committed batches' sums, up to {@link #FOLD_KEYS} keys; answers how many keys it
     * folded, subscribers' apart (0 when another folder holds the lock or there was nothing to
     * fold).
     */
    public int foldOnce() {
        return foldOnce(FOLD_KEYS);
    }

    /** {@link #foldOnce()} reading at most {@code maxKeys} keys (a batch more, once begun). */
    public int foldOnce(int maxKeys) {
        Folded folded = transactions.inTransaction(c -> fold(c, maxKeys));
        if (folded.batches() > 0 && LOG.isDebugEnabled()) {
            LOG.debugf(
                    "folded %d batches into %d roll-up rows and %d usage.attributed deltas in %d ms",
                    folded.batches(),
                    folded.keys(),
                    folded.deltas(),
                    (System.nanoTime() - folded.started()) / 1_000_000);
        }
        return folded.keys();
    }

    /** What a fold did: batches folded, roll-up keys, deltas written, and when it began. */
    private record Folded(int batches, int keys, int deltas, long started) {}

    private static final Folded NOTHING = new Folded(0, 0, 0, 0);

    /** One fold in {@code c}'s transaction, if it takes the lock and finds batches. */
    private Folded fold(Connection c, int maxKeys) throws SQLException {
        if (!TransactionLock.tryLock(c, LOCK_KEY)) {
            return NOTHING;
        }
        long t0 = System.nanoTime();
        Map<RollupKey, RollupDelta> sums = new HashMap<>();
        List<UUID> batches = read(c, sums, maxKeys);
        if (batches.isEmpty()) {
            return NOTHING;
        }
        try (PreparedStatement delete =
                c.prepareStatement("delete from usage_rollup_batch where batch_id = any(?)")) {
            delete.setArray(1, c.createArrayOf("uuid", batches.toArray()));
            delete.executeUpdate();
        }
        int keys = sums.size();
        String foldId = UUID.randomUUID().toString();
        int deltas = sendTraced(c, sums, foldId, batches);
        // the deltas are written: the sums may now be merged in place
        addToRollups(c, withoutSubscribers(sums));
        return new Folded(batches.size(), keys, deltas, t0);
    }

    /**
     * Writes the fold's deltas ({@link AttributedOutbox#send}); when a folded batch was traced, in
     * a span of that trace (linked to the other traced batches' ones), handed over to the relay.
     */
    private int sendTraced(
            Connection c, Map<RollupKey, RollupDelta> sums, String foldId, List<UUID> batches)
            throws SQLException {
        List<Context> traced = new ArrayList<>();
        for (UUID batch : batches) {
            Context context = tracing.takeUp(batch.toString());
            if (context != null) {
                traced.add(context);
            }
        }
        if (traced.isEmpty()) {
            return AttributedOutbox.send(c, sums, foldId);
        }
        Span span = tracing.start("usage.rollup fold", SpanKind.INTERNAL, traced);
        try (Scope ignored = span.makeCurrent()) {
            tracing.handOver(foldId);
            return AttributedOutbox.send(c, sums, foldId);
        } finally {
            span.end();
        }
    }

    /**
     * Adds up the sums of the committed batches into {@code sums}, one batch's text in memory at a
     * time, until they hold {@code maxKeys} keys; answers their ids. Batches left or committed
     * after this read wait for the next fold.
     */
    private static List<UUID> read(Connection c, Map<RollupKey, RollupDelta> sums, int maxKeys)
            throws SQLException {
        List<UUID> batches = new ArrayList<>();
        // one copy of each platform, model, customer type and currency for the whole fold
        Map<String, String> names = new HashMap<>();
        try (PreparedStatement ps =
                c.prepareStatement("select batch_id, deltas from usage_rollup_batch")) {
            ps.setFetchSize(1);
            try (ResultSet rs = ps.executeQuery()) {
                while (sums.size() < maxKeys && rs.next()) {
                    batches.add(rs.getObject(1, UUID.class));
                    try {
                        // the text's UTF-8 bytes as received: no string to decode and copy
                        RollupBatches.addAll(rs.getBytes(2), sums, names);
                    } catch (java.io.IOException e) {
                        throw new SQLException(
                                "unreadable roll-up sums of batch "
                                        + batches.get(batches.size() - 1),
                                e);
                    }
                }
            }
        }
        return batches;
    }

    /**
     * The fold's sums in {@code usage_rollup}'s grain: each subscriber's pooled sums added, in
     * place, to those of its (platform, model, day, customer type, currency). Only the deltas carry
     * the subscriber; the roll-up's readers never ask for it, and one row per subscriber would
     * multiply the rows the fold upserts. The upsert orders the rows itself.
     */
    static Map<RollupKey, RollupDelta> withoutSubscribers(Map<RollupKey, RollupDelta> sums) {
        List<RollupKey> pooled = new ArrayList<>();
        for (RollupKey k : sums.keySet()) {
            if (k.subscriberId() != null) {
                pooled.add(k);
            }
        }
        for (RollupKey k : pooled) {
            RollupDelta d = sums.remove(k);
            sums.computeIfAbsent(k.withoutSubscriber(), x -> new RollupDelta())
                    .addSums(d.events(), d.revenue(), d.units());
        }
        return sums;
    }

    /** Adds {@code sums} to {@code usage_rollup}: staged by COPY, upserted in key order. */
    private static void addToRollups(Connection c, Map<RollupKey, RollupDelta> sums)
            throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(STAGE);
        }
        CopyRows.copyIn(
                c,
                STAGE_COPY,
                rows -> {
                    for (Map.Entry<RollupKey, RollupDelta> e : sums.entrySet()) {
                        stageRow(rows, e.getKey(), e.getValue());
                        rows.sendIfFull();
                    }
                });
        try (Statement st = c.createStatement()) {
            st.executeUpdate(FOLD);
        }
    }

    /** One row of {@code fold_stage}: the standard units as columns, others as JSON. */
    private static void stageRow(CopyRows rows, RollupKey k, RollupDelta d) {
        rows.text(k.platformId()).tab().text(k.modelId()).tab().ascii(k.day().toString()).tab();
        rows.text(k.customerType()).tab().text(k.currency()).tab();
        rows.number(d.events()).tab().decimal(d.revenue());
        Map<String, BigDecimal> other = new TreeMap<>(d.units());
        for (String unit : EventStore.STANDARD_UNITS) {
            BigDecimal q = other.remove(unit);
            rows.tab();
            if (q == null) {
                rows.ascii("0");
            } else {
                rows.decimal(q);
            }
        }
        rows.tab().jsonNumbers(other, false).end();
    }
}
