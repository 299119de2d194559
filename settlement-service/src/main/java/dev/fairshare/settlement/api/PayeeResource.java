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
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
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
@APIResponse(responseCode = "403", description = Responses.NOT_THE_MAKER)
public class PayeeResource {
    @Inject PayoutService payouts;

    @Inject PayoutConfig config;

    @Inject PayoutFiles files;

    @Inject Caller caller;

    @GET
    @Path("payout-profiles/{makerId}")
    @Operation(
            operationId = "getPayoutProfile",
            summary =
                    "A maker's payout profile with its change history (bank details masked in the history); the"
                            + " maker itself or FINANCE")
    @APIResponse(responseCode = "200", description = "the profile")
    @APIResponse(responseCode = "404", description = "NOT_FOUND: the maker has no profile")
    public ProfileView profile(@PathParam("makerId") String makerId) {
        String maker = caller.makerScope(makerId);
        return payouts.profile(maker)
                .map(PayoutViews::profile)
                .orElseThrow(() -> ProblemException.notFound("payout profile", maker));
    }

    @PUT
    @Path("payout-profiles/{makerId}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            operationId = "putPayoutProfile",
            summary =
                    "Create or replace a maker's payout profile: currency, threshold (default per currency),"
                            + " payee name, and an IBAN (+ BIC) or a provider account; every change is recorded")
    @APIResponse(responseCode = "200", description = "the profile as stored, with its history")
    @APIResponse(
            responseCode = "400",
            description = "MALFORMED_JSON, INVALID_VALUE: the body is not a profile")
    @APIResponse(
            responseCode = "422",
            description =
                    "VALIDATION_FAILED with errors[] (INVALID_CURRENCY, INVALID_THRESHOLD, INVALID_PAYEE_NAME,"
                            + " IBAN_OR_PROVIDER_ACCOUNT, INVALID_IBAN, INVALID_BIC, INVALID_PROVIDER_ACCOUNT)")
    public ProfileView putProfile(@PathParam("makerId") String makerId, ProfileRequest body) {
        String maker = caller.makerScope(makerId);
        ProfileRequest b =
                body == null ? new ProfileRequest(null, null, null, null, null, null) : body;
        PayeeDetails details = PayeeDetails.of(b, config::threshold);
        return PayoutViews.profile(payouts.saveProfile(maker, details, caller.name()));
    }

    @GET
    @Path("remittances/{runId}/{makerId}.pdf")
    @Produces(PayoutFiles.PDF)
    @Operation(
            operationId = "downloadRemittance",
            summary =
                    "A maker's remittance advice of a payout run (PDF): payee, the periods covered with their"
                            + " statement totals, conversions with rate and source, carry-forwards, the amount paid")
    @APIResponse(
            responseCode = "200",
            description = "the PDF",
            content =
                    @Content(
                            mediaType = PayoutFiles.PDF,
                            schema = @Schema(type = SchemaType.STRING, format = "binary")))
    @APIResponse(
            responseCode = "404",
            description =
                    "NOT_FOUND: no such run, or the run has no line or carry-forward of the maker")
    public Response remittance(
            @PathParam("runId") long runId, @PathParam("makerId") String makerId) {
        return files.remittance(runId, caller.makerScope(makerId));
    }
}
