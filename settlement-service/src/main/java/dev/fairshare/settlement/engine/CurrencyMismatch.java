package dev.fairshare.settlement.engine;

import java.math.BigDecimal;

/**
 * Usage under a revenue-share agreement whose revenue is in another currency than the agreement's:
 * never converted, so never rated, and listed for finance (and the maker and the platform
 * concerned) instead. Summed per platform, model, agreement and revenue currency.
 */
public record CurrencyMismatch(
        String platformId,
        String modelId,
        String makerId,
        String agreementId,
        String agreementCurrency,
        String currency,
        long events,
        BigDecimal revenue)
        implements UnratedUsage {

    public CurrencyMismatch {
        NonNull.check(
                "platformId modelId makerId agreementId agreementCurrency currency revenue",
                platformId,
                modelId,
                makerId,
                agreementId,
                agreementCurrency,
                currency,
                revenue);
    }
}
