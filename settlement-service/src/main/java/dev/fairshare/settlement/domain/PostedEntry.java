package dev.fairshare.settlement.domain;

import dev.fairshare.settlement.engine.JournalEntry;
import java.time.Instant;

/** A posted entry with its id and time. */
public record PostedEntry(long id, Instant postedAt, JournalEntry entry) {}
