package dev.fairshare.settlement.domain;

import java.math.BigDecimal;

/** An account's balance in one currency: credits − debits. */
public record AccountBalance(String account, String currency, BigDecimal balance) {}
