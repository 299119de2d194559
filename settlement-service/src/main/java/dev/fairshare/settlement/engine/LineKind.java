package dev.fairshare.settlement.engine;

/**
 * What a statement line pays for.
 *
 * <ul>
 *   <li>{@code ROYALTY}: what the maker of the model that earned the royalty keeps after its
 *       ancestors' shares;
 *   <li>{@code UPSTREAM_ROYALTY}: one hop of the lineage cascade, paid to an ancestor model's
 *       maker;
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
    MINIMUM_GUARANTEE_TOPUP,
    LATE_ADJUSTMENT,
    GUARANTEE_RECOUPMENT
}
