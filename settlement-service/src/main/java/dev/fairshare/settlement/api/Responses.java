package dev.fairshare.settlement.api;

/** The descriptions of responses that several operations document alike, in one place. */
final class Responses {
    private Responses() {}

    static final String STARTING = "STARTING: the registry replica has not caught up yet";

    static final String REGISTRY_INCOMPLETE =
            "REGISTRY_INCOMPLETE: the usage names a model the registry lacks";

    static final String NOT_THE_MAKER =
            "FORBIDDEN: another maker's, or a role other than MAKER/FINANCE";

    static final String LINE_NOT_SETTLEABLE =
            "INVALID_RUN_STATUS: not EXPORTED; LINE_SETTLED: already PAID or FAILED";
}
