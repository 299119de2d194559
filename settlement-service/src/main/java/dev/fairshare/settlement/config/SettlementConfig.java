package dev.fairshare.settlement.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Settlement's settings (prefix {@code settlement}). */
@ConfigMapping(prefix = "settlement")
public interface SettlementConfig {
    /** How long after a period's end finance may close it without {@code force=true}. */
    @WithDefault("3d")
    Duration closeGrace();

    /** Consumer group reading usage.attributed; its offsets are kept in PostgreSQL. */
    @WithDefault("settlement-service")
    String consumerGroup();
}
