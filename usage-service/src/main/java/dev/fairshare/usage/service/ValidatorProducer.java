package dev.fairshare.usage.service;

import dev.fairshare.usage.config.UsageConfig;
import dev.fairshare.usage.domain.EventValidator;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/** The one validator of both ingestion paths, with the configured time horizon. */
public class ValidatorProducer {
    @Produces
    @Singleton
    EventValidator validator(UsageConfig config) {
        return new EventValidator(
                Clock.systemUTC(),
                config.maxEventAge(),
                config.maxClockSkew(),
                config.maxEventBytes());
    }
}
