package dev.fairshare.settlement.domain;

import java.math.BigDecimal;

/** A balance a payout run did not pay out: carried to the next run. */
public record CarryForward(
        long runId, String makerId, String currency, BigDecimal balance, String reason) {}
