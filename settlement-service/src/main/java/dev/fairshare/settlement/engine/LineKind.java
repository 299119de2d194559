package dev.fairshare.settlement.engine;

/**
 * What a statement line pays for.
 *
 * <ul>
 *   <li>{@code ROYALTY}: what the maker of the model that earned the royalty keeps after its
 *       ancestors' shares;
 *   <li>{@code UPSTREAM_ROYALTY}: one hop of the lineage cascade, paid to an ancestor model's
 *       maker;
 *   <li>{@code POOL_ROYALTY}: what the maker of a model keeps of the model's share of a platform's
 *       revenue pool (after its ancestors' shares, which are {@code UPSTREAM_ROYALTY} hops);
 *   <li>{@code MINIMUM_GUARANTEE_TOPUP}: the gap between an agreement's pro-rated minimum guarantee
 *       and its royalty;
 *   <li>{@code LATE_ADJUSTMENT}: royalty (or upstream hop) for usage of a closed period that
 *       arrived after its close, or that an agreement recorded after the close newly covers;
 *   <li>{@code GUARANTEE_RECOUPMENT}: a negative line of an agreement's maker that takes back the
 *       part of a closed period's minimum-guarantee top-up that the period's late royalty now
 *       covers (never more than the top-up still outstanding).
 * </ul>
 *
 * The declaration order is part of the statement's deterministic line order.
 */
public enum LineKind {
    ROYALTY,
    UPSTREAM_ROYALTY,
    POOL_ROYALTY,
    MINIMUM_GUARANTEE_TOPUP,
    LATE_ADJUSTMENT,
    GUARANTEE_RECOUPMENT
}
