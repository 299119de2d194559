package dev.fairshare.settlement.api;

import dev.fairshare.settlement.api.PoolViews.FeeRequest;
import dev.fairshare.settlement.api.PoolViews.PoolRequest;
import dev.fairshare.settlement.api.PoolViews.PoolView;
import dev.fairshare.settlement.auth.Caller;
import dev.fairshare.settlement.engine.Pool;
import dev.fairshare.settlement.engine.PoolMethod;
import dev.fairshare.settlement.problem.FieldError;
import dev.fairshare.settlement.service.PoolService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriBuilder;
import java.math.BigDecimal;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * Revenue pools of subscription platforms: the platform (for itself) or ADMIN declares a period's
 * pool; FINANCE and ADMIN read every pool, a PLATFORM its own. A MAKER reads its pool earnings in
 * its statements, never a pool (its declaration names the platform's subscribers).
 */
@Produces(MediaType.APPLICATION_JSON)
@Path("/pools")
@Tag(name = "pools")
@SecurityRequirement(name = "bearer")
public class PoolResource {
    private static final Pattern ID = Pattern.compile("^[a-z0-9][a-z0-9._-]{0,63}$");
    private static final Pattern METRIC = Pattern.compile("^[A-Za-z0-9_.-]{1,64}$");

    /** The widest amount numeric(38, 18) holds. */
    private static final int INTEGER_DIGITS = 20;

    private static final int FRACTION_DIGITS = 18;

    /** DESIGN.md "The usage event": a subscriberId is at most 128 characters. */
    static final int SUBSCRIBER_ID_MAX = 128;

    @Inject PoolService pools;

    @Inject Caller caller;

    @POST
    @RolesAllowed({Caller.PLATFORM, Caller.ADMIN})
    @Consumes(MediaType.APPLICATION_JSON)
    public RestResponse<PoolViews.PoolView> declarePool(PoolRequest body) {
        PoolRequest b =
                body == null
                        ? new PoolRequest(null, null, null, null, null, null, null, null)
                        : body;
        String platformId = caller.platformScope(b.platformId());
        Pool pool = pool(b, platformId);
        PoolService.Report report = pools.declare(pool, caller.name());
        return RestResponse.ResponseBuilder.<PoolViews.PoolView>created(
                        UriBuilder.fromPath("/pools")
                                .queryParam("platformId", platformId)
                                .queryParam("period", pool.period())
                                .build())
                .entity(PoolViews.view(report))
                .build();
    }

    /** The pool {@code b} declares for {@code platformId}; every offending field in one 422. */
    private static Pool pool(PoolRequest b, String platformId) {
        List<FieldError> errors = new ArrayList<>();
        if (platformId == null || !ID.matcher(platformId).matches()) {
            errors.add(
                    new FieldError(
                            "platformId", "INVALID_PLATFORM_ID", "a registered platform's id"));
        }
        YearMonth period = period(b.period(), errors);
        String currency = PayoutResource.currency(b.currency(), "currency", errors);
        BigDecimal revenue = amount(b.revenue(), "revenue", errors);
        BigDecimal makerShare = makerShare(b.makerShare(), errors);
        if (b.metric() == null || !METRIC.matcher(b.metric()).matches()) {
            errors.add(
                    new FieldError(
                            "metric",
                            "INVALID_METRIC",
                            "the unit name that measures use, such as requests"));
        }
        PoolMethod method = method(b.method(), errors);
        Map<String, BigDecimal> fees = fees(b.fees(), method, errors);
        PayoutResource.failIfAny(errors);
        return new Pool(
                platformId, period, currency, revenue, makerShare, b.metric(), method, fees);
    }

    /** A share from 0 to 1 at most {@link #FRACTION_DIGITS} digits; null (and an error) if not. */
    private static BigDecimal makerShare(String value, List<FieldError> errors) {
        BigDecimal share = decimal(value);
        if (share == null
                || share.signum() < 0
                || share.compareTo(BigDecimal.ONE) > 0
                || share.scale() > FRACTION_DIGITS) {
            errors.add(
                    new FieldError(
                            "makerShare",
                            "INVALID_MAKER_SHARE",
                            "a decimal string from 0 to 1, such as \"0.50\""));
            return null;
        }
        return share;
    }

    private static PoolMethod method(String value, List<FieldError> errors) {
        try {
            if (value != null) {
                return PoolMethod.valueOf(value);
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        errors.add(new FieldError("method", "INVALID_METHOD", "PRO_RATA or USER_CENTRIC"));
        return null;
    }

    @GET
    @RolesAllowed({Caller.FINANCE, Caller.ADMIN, Caller.PLATFORM})
    public Page<PoolView> listPools(
            @QueryParam("platformId") String platformId,
            @QueryParam("period") String period,
            @BeanParam Paging paging) {
        String platform = caller.platformScope(platformId);
        YearMonth month = period == null ? null : SettlementResource.period(period);
        paging.check();
        return paging.of(pools.pools(platform, month).stream().map(PoolViews::view).toList());
    }

    private static YearMonth period(String value, List<FieldError> errors) {
        try {
            if (value != null && value.length() == 7) {
                return YearMonth.parse(value);
            }
        } catch (DateTimeParseException e) {
            // reported below
        }
        errors.add(new FieldError("period", "INVALID_PERIOD", "a month such as 2026-11"));
        return null;
    }

    private static BigDecimal decimal(String value) {
        try {
            return value == null ? null : new BigDecimal(value.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** A non-negative amount that numeric(38, 18) holds exactly, or null (reported). */
    private static BigDecimal amount(String value, String field, List<FieldError> errors) {
        BigDecimal d = decimal(value);
        if (d == null
                || d.signum() < 0
                || d.scale() > FRACTION_DIGITS
                || d.precision() - d.scale() > INTEGER_DIGITS) {
            errors.add(
                    new FieldError(
                            field,
                            "INVALID_AMOUNT",
                            "a non-negative decimal string such as \"1000.00\""));
            return null;
        }
        return d;
    }

    private static Map<String, BigDecimal> fees(
            List<FeeRequest> fees, PoolMethod method, List<FieldError> errors) {
        Map<String, BigDecimal> out = new TreeMap<>();
        if (fees == null || fees.isEmpty()) {
            return out;
        }
        if (method == PoolMethod.PRO_RATA) {
            errors.add(
                    new FieldError(
                            "fees",
                            "FEES_NEED_USER_CENTRIC",
                            "fees split a USER_CENTRIC pool; a PRO_RATA pool has none"));
        }
        for (int i = 0; i < fees.size(); i++) {
            FeeRequest f = fees.get(i) == null ? new FeeRequest(null, null) : fees.get(i);
            String field = "fees[" + i + "]";
            String subscriber = f.subscriberId();
            if (subscriber == null
                    || subscriber.isBlank()
                    || subscriber.length() > SUBSCRIBER_ID_MAX) {
                errors.add(
                        new FieldError(
                                field + ".subscriberId",
                                "BAD_SUBSCRIBER_ID",
                                "the subscriber's pseudonymous id, 1 to 128 characters"));
                continue;
            }
            BigDecimal amount = amount(f.amount(), field + ".amount", errors);
            if (amount != null && out.put(subscriber, amount) != null) {
                errors.add(
                        new FieldError(
                                field + ".subscriberId",
                                "DUPLICATE_SUBSCRIBER",
                                "each subscriber's fee is given once"));
            }
        }
        return out;
    }
}
