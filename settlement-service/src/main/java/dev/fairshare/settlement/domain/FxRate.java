package dev.fairshare.settlement.domain;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;

/**
 * An exchange rate of one day, as recorded by finance: 1 {@code base} = {@code rate} {@code quote}.
 */
public record FxRate(
        LocalDate date,
        String base,
        String quote,
        BigDecimal rate,
        String source,
        String recordedBy,
        Instant recordedAt) {}
