package dev.fairshare.settlement.api;

import dev.fairshare.settlement.auth.Caller;
import jakarta.ws.rs.QueryParam;

/** The {@code ?makerId=} and {@code ?platformId=} that narrow a list to one maker and platform. */
public record Parties(
        @QueryParam("makerId") String makerId, @QueryParam("platformId") String platformId) {

    /**
     * What {@code caller} may read of this filter: a MAKER its own maker, a PLATFORM its own
     * platform ({@code 403} when another is asked for).
     */
    Scope scope(Caller caller) {
        return new Scope(caller.makerScope(makerId), caller.platformScope(platformId));
    }

    /** A maker and a platform, each null for any. */
    record Scope(String maker, String platform) {
        boolean admits(String makerId, String platformId) {
            return (maker == null || maker.equals(makerId))
                    && (platform == null || platform.equals(platformId));
        }
    }
}
