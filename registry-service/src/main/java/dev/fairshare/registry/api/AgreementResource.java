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
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

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
    public RestResponse<Dto.AgreementView> createAgreement(Dto.AgreementRequest req) {
        Dto.AgreementView a = agreements.create(req);
        return Responses.created("/agreements/" + a.agreement().id(), a);
    }

    @POST
    @RolesAllowed(Roles.ADMIN)
    @Path("/{id}/end")
    public Dto.AgreementView endAgreement(@PathParam("id") String id, Dto.EndAgreementRequest req) {
        return agreements.end(id, req);
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.FINANCE, Roles.MAKER, Roles.PLATFORM})
    public Page<Dto.AgreementView> listAgreements(
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
    public Dto.AgreementView getAgreement(@PathParam("id") String id) {
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
