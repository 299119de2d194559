package dev.fairshare.settlement.domain;

import java.time.Instant;

/** A change of a payout profile's payee details, with the old and new account masked. */
public record ProfileChange(
        Instant changedAt, String changedBy, String oldMasked, String newMasked) {}
