package dev.fairshare.settlement.domain;

import java.math.BigDecimal;
import java.time.Instant;

/** A maker's payout profile: the currency and threshold it is paid in and the payee details. */
public record PayoutProfile(
        String makerId,
        String currency,
        BigDecimal threshold,
        String payeeName,
        String iban,
        String bic,
        String providerAccount,
        Instant updatedAt,
        String updatedBy) {}
