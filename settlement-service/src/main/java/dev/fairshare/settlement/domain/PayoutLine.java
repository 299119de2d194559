package dev.fairshare.settlement.domain;

import java.math.BigDecimal;
import java.time.Instant;

/** One maker's payment of a payout run, with the payee details it is paid to and its settlement. */
public record PayoutLine(
        long id,
        long runId,
        String makerId,
        BigDecimal amount,
        String currency,
        String payeeName,
        String iban,
        String bic,
        String providerAccount,
        boolean payeeChanged,
        String status,
        String reference,
        String settledBy,
        Instant settledAt) {}
