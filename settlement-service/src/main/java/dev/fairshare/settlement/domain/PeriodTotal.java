package dev.fairshare.settlement.domain;

import java.math.BigDecimal;

/** A maker's statement total of a closed period in one currency. */
public record PeriodTotal(String period, String currency, BigDecimal total) {}
