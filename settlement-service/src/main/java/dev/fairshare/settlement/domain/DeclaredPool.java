package dev.fairshare.settlement.domain;

import dev.fairshare.settlement.engine.Pool;
import java.time.Instant;

/** A pool as declared: by whom and when. */
public record DeclaredPool(Pool pool, String declaredBy, Instant declaredAt) {}
