package dev.fairshare.settlement.engine;

import java.math.BigDecimal;
import java.util.Objects;

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
        BigDecimal revenue) {

    public CurrencyMismatch {
        Objects.requireNonNull(platformId, "platformId");
        Objects.requireNonNull(modelId, "modelId");
        Objects.requireNonNull(makerId, "makerId");
        Objects.requireNonNull(agreementId, "agreementId");
        Objects.requireNonNull(agreementCurrency, "agreementCurrency");
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(revenue, "revenue");
    }
}
