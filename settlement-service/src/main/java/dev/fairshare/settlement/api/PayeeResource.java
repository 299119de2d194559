package dev.fairshare.settlement.api;

import dev.fairshare.settlement.api.PayoutViews.ProfileView;
import dev.fairshare.settlement.auth.Caller;
import dev.fairshare.settlement.config.PayoutConfig;
import dev.fairshare.settlement.problem.ProblemException;
import dev.fairshare.settlement.service.PayeeDetails;
import dev.fairshare.settlement.service.PayeeDetails.ProfileRequest;
import dev.fairshare.settlement.service.PayoutService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * A maker's side of payouts, for the maker itself or FINANCE: its payout profile (with its change
 * history) and its remittance advice of a payout run.
 */
@Produces(MediaType.APPLICATION_JSON)
@Path("/")
@Tag(name = "payouts")
@SecurityRequirement(name = "bearer")
@RolesAllowed({Caller.FINANCE, Caller.MAKER})
public class PayeeResource {
    @Inject PayoutService payouts;

    @Inject PayoutConfig config;

    @Inject PayoutFiles files;

    @Inject Caller caller;

    @GET
    @Path("payout-profiles/{makerId}")
    public ProfileView getPayoutProfile(@PathParam("makerId") String makerId) {
        String maker = caller.makerScope(makerId);
        return payouts.profile(maker)
                .map(PayoutViews::profile)
                .orElseThrow(() -> ProblemException.notFound("payout profile", maker));
    }

    @PUT
    @Path("payout-profiles/{makerId}")
    @Consumes(MediaType.APPLICATION_JSON)
    public ProfileView putPayoutProfile(@PathParam("makerId") String makerId, ProfileRequest body) {
        String maker = caller.makerScope(makerId);
        ProfileRequest b =
                body == null ? new ProfileRequest(null, null, null, null, null, null) : body;
        PayeeDetails details = PayeeDetails.of(b, config::threshold);
        return PayoutViews.profile(payouts.saveProfile(maker, details, caller.name()));
    }

    @GET
    @Path("remittances/{runId}/{makerId}.pdf")
    @Produces(PayoutFiles.PDF)
    public Response downloadRemittance(
            @PathParam("runId") long runId, @PathParam("makerId") String makerId) {
        return files.remittance(runId, caller.makerScope(makerId));
    }
}
