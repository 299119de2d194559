package dev.fairshare.settlement.engine;

import java.util.List;

/**
 * The pools a statement splits: the period's own ({@code own}, see {@link Pools}), and those of
 * closed periods that late pooled usage re-runs ({@code late}).
 */
public record Pooling(List<PoolPeriod> own, List<LatePool> late) {

    /** A statement without pools. */
    public static final Pooling NONE = new Pooling(List.of(), List.of());
}
