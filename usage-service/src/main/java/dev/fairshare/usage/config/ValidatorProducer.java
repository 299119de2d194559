package dev.fairshare.usage.config;

import dev.fairshare.usage.ingest.EventValidator;
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
