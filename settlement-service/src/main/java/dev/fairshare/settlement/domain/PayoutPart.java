package dev.fairshare.settlement.domain;

import java.math.BigDecimal;

/** The part of a payout line that one currency's balance makes up, converted at {@code rate}. */
public record PayoutPart(
        long lineId,
        String currency,
        BigDecimal balance,
        BigDecimal rate,
        String rateSource,
        BigDecimal converted) {}
