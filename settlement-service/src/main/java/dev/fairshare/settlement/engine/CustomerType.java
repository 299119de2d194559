package dev.fairshare.settlement.engine;

/**
 * Who the platform served: its own customer's kind, not the maker's. A model whose licence forbids
 * commercial use and that is served to a {@code COMMERCIAL} customer without an agreement is a
 * compliance finding (see {@link Coverage#uncovered}).
 */
public enum CustomerType {
    COMMERCIAL,
    NON_COMMERCIAL
}
