package dev.fairshare.settlement.api;

import dev.fairshare.settlement.api.PayoutViews.RateRequest;
import dev.fairshare.settlement.api.PayoutViews.RateView;
import dev.fairshare.settlement.api.PayoutViews.RunRequest;
import dev.fairshare.settlement.api.PayoutViews.RunView;
import dev.fairshare.settlement.api.PayoutViews.SettleRequest;
import dev.fairshare.settlement.auth.Caller;
import dev.fairshare.settlement.config.PayoutConfig;
import dev.fairshare.settlement.domain.FxRate;
import dev.fairshare.settlement.problem.FieldError;
import dev.fairshare.settlement.problem.ProblemException;
import dev.fairshare.settlement.service.PayeeDetails;
import dev.fairshare.settlement.service.PayoutService;
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
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.math.BigDecimal;
import java.net.URI;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * Payouts (DESIGN.md "Payouts"): the FX rates finance records, and payout runs from DRAFT to a
 * payment file and PAID or FAILED lines ({@link PayeeResource}: the maker's profile and remittance
 * advice).
 */
@Produces(MediaType.APPLICATION_JSON)
@Path("/")
@Tag(name = "payouts")
@SecurityRequirement(name = "bearer")
@RolesAllowed(Caller.FINANCE)
public class PayoutResource {
    @Inject PayoutService payouts;

    @Inject PayoutConfig config;

    @Inject PayoutFiles files;

    @Inject Caller caller;

    // ---------------------------------------------------------------- FX rates

    @POST
    @Path("fx-rates")
    @Consumes(MediaType.APPLICATION_JSON)
    public RestResponse<PayoutViews.RateView> recordFxRate(RateRequest body) {
        RateRequest b = body == null ? new RateRequest(null, null, null, null, null) : body;
        List<FieldError> errors = new ArrayList<>();
        LocalDate date = date(b.date(), "date", errors);
        String base = currency(b.base(), "base", errors);
        String quote = currency(b.quote(), "quote", errors);
        if (base != null && base.equals(quote)) {
            errors.add(new FieldError("quote", "SAME_CURRENCY", "quote must differ from base"));
        }
        BigDecimal rate = null;
        try {
            rate = b.rate() == null ? null : new BigDecimal(b.rate().trim());
        } catch (NumberFormatException e) {
            // reported below
        }
        if (rate == null || rate.signum() <= 0) {
            errors.add(new FieldError("rate", "INVALID_RATE", "a positive decimal string"));
        }
        if (b.source() == null || b.source().isBlank() || b.source().length() > 200) {
            errors.add(
                    new FieldError(
                            "source",
                            "INVALID_SOURCE",
                            "where the rate comes from, 1 to 200 characters"));
        }
        failIfAny(errors);
        FxRate r = payouts.recordRate(date, base, quote, rate, b.source().strip(), caller.name());
        return RestResponse.ResponseBuilder.<PayoutViews.RateView>created(
                        URI.create("/fx-rates?date=" + date + "&quote=" + quote))
                .entity(PayoutViews.rate(r))
                .build();
    }

    @GET
    @Path("fx-rates")
    public Page<RateView> listFxRates(
            @QueryParam("date") String date,
            @QueryParam("quote") String quote,
            @BeanParam Paging paging) {
        List<FieldError> errors = new ArrayList<>();
        LocalDate day = date == null ? null : date(date, "date", errors);
        String q = quote == null ? null : currency(quote, "quote", errors);
        failIfAny(errors);
        paging.check();
        return paging.of(payouts.rates(day, q).stream().map(PayoutViews::rate).toList());
    }

    // ---------------------------------------------------------------- runs

    @POST
    @Path("payout-runs")
    @Consumes(MediaType.APPLICATION_JSON)
    public RestResponse<PayoutViews.RunView> createPayoutRun(RunRequest body) {
        RunRequest b = body == null ? new RunRequest(null, null) : body;
        List<FieldError> errors = new ArrayList<>();
        String currency = currency(b.currency(), "currency", errors);
        LocalDate asOf = date(b.asOf(), "asOf", errors);
        failIfAny(errors);
        PayoutService.RunDetail run = payouts.createRun(currency, asOf, caller.name());
        return RestResponse.ResponseBuilder.<PayoutViews.RunView>created(
                        URI.create("/payout-runs/" + run.run().id()))
                .entity(PayoutViews.run(run, null))
                .build();
    }

    @GET
    @RolesAllowed({Caller.FINANCE, Caller.MAKER})
    @Path("payout-runs")
    public Page<RunView> listPayoutRuns(
            @QueryParam("status") String status, @BeanParam Paging paging) {
        if (status != null
                && !List.of(
                                PayoutService.DRAFT,
                                PayoutService.APPROVED,
                                PayoutService.EXPORTED,
                                PayoutService.COMPLETED,
                                PayoutService.CANCELLED)
                        .contains(status)) {
            throw ProblemException.unprocessable(
                    "VALIDATION_FAILED",
                    "status",
                    "one of DRAFT, APPROVED, EXPORTED, COMPLETED, CANCELLED");
        }
        paging.check();
        String maker = caller.makerScope(null);
        List<RunView> runs =
                payouts.runs(status).stream()
                        .map(r -> PayoutViews.run(r, maker))
                        .filter(
                                r ->
                                        maker == null
                                                || !r.lines().isEmpty()
                                                || !r.carryForwards().isEmpty())
                        .toList();
        return paging.of(runs);
    }

    @GET
    @RolesAllowed({Caller.FINANCE, Caller.MAKER})
    @Path("payout-runs/{id}")
    public RunView getPayoutRun(@PathParam("id") long id) {
        return PayoutViews.run(find(id), caller.makerScope(null));
    }

    private PayoutService.RunDetail find(long id) {
        return payouts.run(id)
                .orElseThrow(() -> ProblemException.notFound("payout run", String.valueOf(id)));
    }

    @POST
    @Path("payout-runs/{id}/approve")
    public RunView approvePayoutRun(@PathParam("id") long id) {
        return PayoutViews.run(payouts.approve(id, caller.name()), null);
    }

    @POST
    @Path("payout-runs/{id}/cancel")
    public RunView cancelPayoutRun(@PathParam("id") long id) {
        return PayoutViews.run(payouts.cancel(id), null);
    }

    @GET
    @Path("payout-runs/{id}/payment-file")
    @Produces({PayoutFiles.PAIN_001, PayoutFiles.CSV})
    public Response downloadPaymentFile(
            @PathParam("id") long id,
            @QueryParam("format") String format,
            @jakarta.ws.rs.core.Context HttpHeaders headers) {
        boolean csv =
                "csv".equals(format)
                        || (format == null
                                && headers.getAcceptableMediaTypes().stream()
                                        .anyMatch(
                                                m ->
                                                        m.isCompatible(
                                                                        MediaType.valueOf(
                                                                                PayoutFiles.CSV))
                                                                && !m.isWildcardType()));
        return files.paymentFile(id, csv);
    }

    @POST
    @Path("payout-runs/{id}/lines/{lineId}/paid")
    @Consumes(MediaType.APPLICATION_JSON)
    public RunView markPayoutLinePaid(
            @PathParam("id") long id, @PathParam("lineId") long lineId, SettleRequest body) {
        String reference = body == null ? null : body.reference();
        if (reference == null || reference.isBlank() || reference.length() > 140) {
            throw ProblemException.unprocessable(
                    "VALIDATION_FAILED",
                    "reference",
                    "the payment's reference, 1 to 140 characters");
        }
        return PayoutViews.run(
                payouts.settle(id, lineId, true, reference.strip(), caller.name()), null);
    }

    @POST
    @Path("payout-runs/{id}/lines/{lineId}/failed")
    @Consumes(MediaType.APPLICATION_JSON)
    public RunView markPayoutLineFailed(
            @PathParam("id") long id, @PathParam("lineId") long lineId, SettleRequest body) {
        String reference =
                body == null || body.reference() == null ? null : body.reference().strip();
        return PayoutViews.run(payouts.settle(id, lineId, false, reference, caller.name()), null);
    }

    // ---------------------------------------------------------------- input

    static void failIfAny(List<FieldError> errors) {
        if (!errors.isEmpty()) {
            throw new ProblemException(
                    422,
                    "VALIDATION_FAILED",
                    errors.get(0).field() + ": " + errors.get(0).message(),
                    errors);
        }
    }

    static String currency(String value, String field, List<FieldError> errors) {
        String v = value == null ? null : value.trim();
        if (v != null && PayeeDetails.validCurrency(v)) {
            return v;
        }
        errors.add(new FieldError(field, "INVALID_CURRENCY", "an ISO 4217 code such as USD"));
        return null;
    }

    static LocalDate date(String value, String field, List<FieldError> errors) {
        try {
            if (value != null) {
                return LocalDate.parse(value.trim());
            }
        } catch (DateTimeParseException e) {
            // reported below
        }
        errors.add(new FieldError(field, "INVALID_DATE", "a day such as 2026-11-30"));
        return null;
    }
}
