package dev.fairshare.usage.service;

import dev.fairshare.usage.config.UsageConfig;
import dev.fairshare.usage.domain.EventValidator;
import dev.fairshare.usage.domain.WellFormedEvents;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/**
 * The one validator of both ingestion paths, with the configured time horizon, and its one-pass
 * reader.
 */
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

    /** The one-pass reader of well-formed events, shared by both ingestion paths. */
    @Produces
    @Singleton
    WellFormedEvents wellFormed(EventValidator validator) {
        return new WellFormedEvents(validator);
    }
}
