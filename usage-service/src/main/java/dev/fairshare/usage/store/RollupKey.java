package dev.fairshare.usage.store;

import java.time.LocalDate;

/** The roll-up grain: (platform, model, UTC day, customer type, currency). */
public record RollupKey(
        String platformId, String modelId, LocalDate day, String customerType, String currency) {}
