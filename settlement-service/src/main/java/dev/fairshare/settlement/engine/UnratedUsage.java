package dev.fairshare.settlement.engine;

import java.math.BigDecimal;

/**
 * Usage a close does not rate, summed for a model on a platform: without an agreement in force
 * ({@link UncoveredUsage}) or with its revenue in another currency than its agreement's ({@link
 * CurrencyMismatch}). Finance and the maker see it listed instead of paid.
 */
public interface UnratedUsage {
    String platformId();

    String modelId();

    String makerId();

    /** The currency of {@link #revenue()}. */
    String currency();

    long events();

    BigDecimal revenue();
}
