package dev.fairshare.settlement.domain;

import java.time.Instant;
import java.time.YearMonth;

/** A period's state. */
public record PeriodState(YearMonth period, String status, Instant closedAt) {}
