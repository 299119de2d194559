package dev.fairshare.usage.service;

import dev.fairshare.usage.domain.EventError;
import java.util.List;

/** The answer to POST /usage-events. */
public record IngestResult(int accepted, int duplicates, List<Rejected> rejected) {

    /** An event that was not accepted, by its index in the body. */
    public record Rejected(int index, String eventId, List<EventError> errors) {}
}
