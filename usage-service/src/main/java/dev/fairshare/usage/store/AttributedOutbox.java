package dev.fairshare.usage.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code usage.attributed} deltas in {@code attributed_outbox}, written in the transaction that
 * made their sums (a fold of the per-event sums, or a batch's pooled sums) and sent by the relay.
 */
public final class AttributedOutbox {

    /** Rows of one {@code usage.attributed} delta at most: a message stays well under 1 MB. */
    static final int MAX_DELTA_ROWS = 1_000;

    /** The order of the deltas and of their rows. */
    private static final Comparator<RollupKey> DELTA_ORDER =
            Comparator.comparing(RollupKey::modelId)
                    .thenComparing(RollupKey::platformId)
                    .thenComparing(RollupKey::day)
                    .thenComparing(RollupKey::customerType)
                    .thenComparing(RollupKey::currency)
                    .thenComparing(
                            RollupKey::subscriberId,
                            Comparator.nullsFirst(Comparator.naturalOrder()));

    static final String OUTBOX_COPY =
            "copy attributed_outbox (delta_id, model_id, payload, created_at) from stdin";

    /**
     * Writes {@code sums} to the outbox as {@code usage.attributed} deltas: one per (model,
     * platform), split beyond {@link #MAX_DELTA_ROWS} rows, {@code batchId} (a fold's or a batch's)
     * as their batch id and the prefix of their ids; answers how many. A pooled row carries its
     * subscriber. The deltas' JSON is written straight into the COPY, so no delta's text stays on
     * the heap.
     */
    static int send(Connection c, Map<RollupKey, RollupDelta> sums, String batchId)
            throws SQLException {
        List<Map.Entry<RollupKey, RollupDelta>> sorted = new ArrayList<>(sums.size());
        for (Map.Entry<RollupKey, RollupDelta> e : sums.entrySet()) {
            if (!e.getKey().sent()) {
                sorted.add(e);
            }
        }
        if (sorted.isEmpty()) {
            return 0;
        }
        sorted.sort(Map.Entry.comparingByKey(DELTA_ORDER));
        Instant now = Instant.now();
        int[] n = {0};
        CopyRows.copyIn(
                c,
                OUTBOX_COPY,
                rows -> {
                    int first = 0;
                    for (int i = 0; i < sorted.size(); i++) {
                        RollupKey k = sorted.get(i).getKey();
                        RollupKey next = i + 1 < sorted.size() ? sorted.get(i + 1).getKey() : null;
                        if (next == null
                                || !next.modelId().equals(k.modelId())
                                || !next.platformId().equals(k.platformId())
                                || i + 1 - first == MAX_DELTA_ROWS) {
                            String deltaId = batchId + "/" + ++n[0];
                            rows.text(deltaId).tab().text(k.modelId()).tab();
                            deltaJson(
                                    rows,
                                    deltaId,
                                    batchId,
                                    k.modelId(),
                                    sorted.subList(first, i + 1));
                            rows.tab().instant(now).end();
                            rows.sendIfFull();
                            first = i + 1;
                        }
                    }
                });
        return n[0];
    }

    /**
     * A delta's JSON as Jackson writes {@link AttributedDelta} (the same fields in the same order,
     * decimals as plain strings, units in name order, the subscriber only on pooled rows).
     */
    static void deltaJson(
            CopyRows rows,
            String deltaId,
            String batchId,
            String modelId,
            List<Map.Entry<RollupKey, RollupDelta>> sums) {
        rows.json('{').jsonString("deltaId").json(':').jsonString(deltaId);
        rows.json(',').jsonString("batchId").json(':').jsonString(batchId);
        rows.json(',').jsonString("modelId").json(':').jsonString(modelId);
        rows.json(',').jsonString("rows").json(':').json('[');
        for (int i = 0; i < sums.size(); i++) {
            RollupKey k = sums.get(i).getKey();
            RollupDelta d = sums.get(i).getValue();
            if (i > 0) {
                rows.json(',');
            }
            rows.json('{').jsonString("platformId").json(':').jsonString(k.platformId());
            rows.json(',')
                    .jsonString("day")
                    .json(':')
                    .json('"')
                    .ascii(k.day().toString())
                    .json('"');
            rows.json(',').jsonString("customerType").json(':').jsonString(k.customerType());
            rows.json(',').jsonString("currency").json(':').jsonString(k.currency());
            if (k.subscriberId() != null) {
                rows.json(',').jsonString("subscriberId").json(':').jsonString(k.subscriberId());
            }
            rows.json(',').jsonString("events").json(':').number(d.events());
            rows.json(',').jsonString("revenue").json(':').json('"').decimal(d.revenue()).json('"');
            rows.json(',').jsonString("units").json(':').jsonNumbers(d.units(), true).json('}');
        }
        rows.json(']').json('}');
    }

    /**
     * The {@code usage.attributed} row of one roll-up key's sums: decimals as plain strings, the
     * subscriber only on pooled usage.
     */
    public static AttributedDelta.Row row(RollupKey k, RollupDelta d) {
        Map<String, String> units = new TreeMap<>();
        d.units().forEach((u, q) -> units.put(u, q.toPlainString()));
        return new AttributedDelta.Row(
                k.platformId(),
                k.day().toString(),
                k.customerType(),
                k.currency(),
                k.subscriberId(),
                d.events(),
                d.revenue().toPlainString(),
                units);
    }

    private AttributedOutbox() {}
}
