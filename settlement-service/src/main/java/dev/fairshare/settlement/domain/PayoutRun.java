package dev.fairshare.settlement.domain;

import java.time.Instant;
import java.time.LocalDate;

/** A payout run of one currency as of a day, and where it stands (DRAFT, APPROVED, EXPORTED, …). */
public record PayoutRun(
        long id,
        String currency,
        LocalDate asOf,
        String status,
        String createdBy,
        Instant createdAt,
        String approvedBy,
        Instant approvedAt,
        Instant exportedAt) {}
