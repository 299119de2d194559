package dev.fairshare.registry.api;

import dev.fairshare.registry.auth.Caller;
import dev.fairshare.registry.auth.Roles;
import dev.fairshare.registry.problem.ProblemException;
import dev.fairshare.registry.service.AgreementService;
import dev.fairshare.registry.service.Dto;
import dev.fairshare.registry.service.Page;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/agreements")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "agreements")
@SecurityRequirement(name = "bearer")
public class AgreementResource {
    @Inject AgreementService agreements;

    @Inject Caller caller;

    @POST
    @RolesAllowed(Roles.ADMIN)
    @Operation(
            operationId = "createAgreement",
            summary = "Record an agreement between a maker and a platform")
    @RequestBody(
            content =
                    @Content(
                            examples = {
                                @ExampleObject(
                                        name = "revenue share",
                                        value =
                                                "{\"id\": \"acme-coqui-2026\", \"makerId\": \"coqui\", \"platformId\": \"acme-cloud\","
                                                        + " \"currency\": \"USD\", \"validFrom\": \"2026-01-01T00:00:00Z\","
                                                        + " \"terms\": {\"type\": \"REVENUE_SHARE\", \"rate\": \"0.20\"}, \"minimumGuarantee\": \"50.00\"}"),
                                @ExampleObject(
                                        name = "per unit",
                                        value =
                                                "{\"id\": \"acme-coqui-tokens\", \"makerId\": \"coqui\", \"platformId\": \"acme-cloud\","
                                                        + " \"modelId\": \"xtts-v2\", \"currency\": \"USD\", \"validFrom\": \"2026-01-01T00:00:00Z\","
                                                        + " \"terms\": {\"type\": \"PER_UNIT\", \"metric\": \"output_tokens\", \"unitSize\": \"1000000\","
                                                        + " \"tiers\": [{\"upTo\": \"1000000000\", \"price\": \"0.40\"}, {\"upTo\": null, \"price\": \"0.30\"}]}}"),
                                @ExampleObject(
                                        name = "pool share",
                                        description =
                                                "the model takes part in the platform's revenue pool (its events with a subscriberId);"
                                                        + " it may be in force beside one revenue-share or per-unit agreement of the same scope",
                                        value =
                                                "{\"id\": \"streamvoice-a-pool\", \"makerId\": \"voicelab\", \"platformId\": \"streamvoice\","
                                                        + " \"modelId\": \"voice-a\", \"currency\": \"USD\", \"validFrom\": \"2026-01-01T00:00:00Z\","
                                                        + " \"terms\": {\"type\": \"POOL_SHARE\"}}")
                            }))
    @APIResponse(
            responseCode = "201",
            description = "created",
            content = @Content(schema = @Schema(implementation = Dto.AgreementView.class)))
    @APIResponse(responseCode = "409", description = "DUPLICATE_ID")
    @APIResponse(
            responseCode = "422",
            description =
                    "MISSING_FIELD, INVALID_ID, BAD_CURRENCY, NOT_WHOLE_DAY, INVALID_VALIDITY, INVALID_TERMS, INVALID_TIERS,"
                            + " UNKNOWN_MAKER, UNKNOWN_PLATFORM, UNKNOWN_MODEL, MODEL_NOT_OF_MAKER, AGREEMENT_OVERLAP"
                            + " (another agreement of the same kind, pooled or per event, in force for the same scope)")
    public Response create(Dto.AgreementRequest req) {
        Dto.AgreementView a = agreements.create(req);
        return Responses.created("/agreements/" + a.agreement().id(), a);
    }

    @POST
    @RolesAllowed(Roles.ADMIN)
    @Path("/{id}/end")
    @Operation(
            operationId = "endAgreement",
            summary = "End an agreement earlier (terms are immutable; a change is a new agreement)")
    @APIResponse(responseCode = "200", description = "the agreement with its new validTo")
    @APIResponse(responseCode = "404", description = "NOT_FOUND")
    @APIResponse(
            responseCode = "422",
            description = "MISSING_FIELD, NOT_WHOLE_DAY, INVALID_VALIDITY, TERMS_IMMUTABLE")
    public Dto.AgreementView end(@PathParam("id") String id, Dto.EndAgreementRequest req) {
        return agreements.end(id, req);
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.FINANCE, Roles.MAKER, Roles.PLATFORM})
    @Operation(
            operationId = "listAgreements",
            summary = "List agreements, optionally of one maker and/or platform (paged)")
    @APIResponse(responseCode = "200", description = "a page of agreements")
    public Page<Dto.AgreementView> list(
            @QueryParam("makerId") String makerId,
            @QueryParam("platformId") String platformId,
            @BeanParam PageParams paging) {
        // a maker sees its own agreements, a platform those it is party to
        if (caller.makerId() != null) {
            caller.requireMaker(makerId == null ? caller.makerId() : makerId);
            makerId = caller.makerId();
        }
        if (caller.platformId() != null) {
            if (platformId != null && !platformId.equals(caller.platformId())) {
                throw Caller.forbidden(
                        "this token acts for platform '" + caller.platformId() + "' only");
            }
            platformId = caller.platformId();
        }
        return agreements.list(makerId, platformId, paging.page, paging.size);
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.FINANCE, Roles.MAKER, Roles.PLATFORM})
    @Path("/{id}")
    @Operation(operationId = "getAgreement", summary = "One agreement")
    @APIResponse(responseCode = "404", description = "NOT_FOUND")
    @APIResponse(responseCode = "200", description = "the agreement")
    public Dto.AgreementView get(@PathParam("id") String id) {
        Dto.AgreementView view = agreements.get(id);
        Dto.AgreementRequest a = view.agreement();
        // another party's agreement is answered as if it did not exist
        if ((caller.makerId() != null && !caller.makerId().equals(a.makerId()))
                || (caller.platformId() != null && !caller.platformId().equals(a.platformId()))) {
            throw ProblemException.notFound("agreement", id);
        }
        return view;
    }
}
