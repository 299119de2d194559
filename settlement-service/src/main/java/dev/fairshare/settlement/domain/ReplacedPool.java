package dev.fairshare.settlement.domain;

import java.time.Instant;

/** A declaration that a later one replaced. */
public record ReplacedPool(DeclaredPool declaration, String replacedBy, Instant replacedAt) {}
