package dev.fairshare.settlement.api;

import dev.fairshare.settlement.auth.Caller;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** A maker's remittance advice of a payout run, as PDF. */
@Path("/")
@Tag(name = "payouts")
@SecurityRequirement(name = "bearer")
public class RemittanceResource {
    @Inject PayoutFiles files;

    @Inject Caller caller;

    @GET
    @RolesAllowed({Caller.FINANCE, Caller.MAKER})
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
    @APIResponse(responseCode = "403", description = Responses.NOT_THE_MAKER)
    @APIResponse(
            responseCode = "404",
            description =
                    "NOT_FOUND: no such run, or the run has no line or carry-forward of the maker")
    public Response remittance(
            @PathParam("runId") long runId, @PathParam("makerId") String makerId) {
        return files.remittance(runId, caller.makerScope(makerId));
    }
}
