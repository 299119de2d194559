package dev.fairshare.settlement.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.fairshare.settlement.auth.Caller;
import dev.fairshare.settlement.engine.CurrencyMismatch;
import dev.fairshare.settlement.engine.Rounding;
import dev.fairshare.settlement.engine.UncoveredUsage;
import dev.fairshare.settlement.service.SettlementService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Usage that a close does not rate, which finance and the makers concerned must see: usage without
 * an agreement in force (unlicensed), the commercial use among it that a licence forbids
 * (findings), and usage whose revenue is in another currency than its agreement's (mismatches,
 * which the platform concerned sees too).
 */
@Produces(MediaType.APPLICATION_JSON)
@Path("/")
@Tag(name = "finance")
@SecurityRequirement(name = "bearer")
@RolesAllowed({Caller.FINANCE, Caller.MAKER})
public class UnratedUsageResource {
    @Inject SettlementService settlement;

    @Inject Caller caller;

    /** Whose usage a row sums: a period's usage of a maker's model on a platform. */
    public record UsageOf(String period, String platformId, String modelId, String makerId) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record UsageView(
            @JsonUnwrapped UsageOf of,
            String customerType,
            long events,
            String revenue,
            String currency,
            Map<String, String> units,
            String firstSeen,
            String lastSeen,
            boolean licensedLater,
            String wouldHaveEarned) {}

    /** Usage that a revenue-share agreement does not rate: its revenue is in another currency. */
    public record MismatchView(
            @JsonUnwrapped UsageOf of,
            String agreementId,
            String agreementCurrency,
            String currency,
            String revenue,
            long events) {}

    @GET
    @RolesAllowed({Caller.FINANCE, Caller.MAKER, Caller.PLATFORM})
    @Path("currency-mismatches")
    public Page<MismatchView> listCurrencyMismatches(
            @QueryParam("period") String period,
            @BeanParam Parties parties,
            @BeanParam Paging paging) {
        Parties.Scope scope = parties.scope(caller);
        paging.check();
        List<MismatchView> items =
                settlement
                        .currencyMismatches(
                                period == null ? null : SettlementResource.period(period))
                        .stream()
                        .filter(m -> scope.admits(m.usage().makerId(), m.usage().platformId()))
                        .map(m -> view(m.period().toString(), m.usage()))
                        .toList();
        return paging.of(items);
    }

    static MismatchView view(String period, CurrencyMismatch m) {
        return new MismatchView(
                new UsageOf(period, m.platformId(), m.modelId(), m.makerId()),
                m.agreementId(),
                m.agreementCurrency(),
                m.currency(),
                Views.plain(m.revenue()),
                m.events());
    }

    @GET
    @Path("unlicensed-usage")
    public Page<UsageView> listUnlicensedUsage(
            @BeanParam UsageQuery query, @BeanParam Paging paging) {
        return paging.of(uncovered(query, false));
    }

    @GET
    @Path("compliance/findings")
    public Page<UsageView> listComplianceFindings(
            @BeanParam UsageQuery query, @BeanParam Paging paging) {
        return paging.of(uncovered(query, true));
    }

    /** Which uncovered usage: a maker's (a MAKER's own) and a period's, each null for all. */
    public record UsageQuery(
            @QueryParam("makerId") String makerId, @QueryParam("period") String period) {}

    private List<UsageView> uncovered(UsageQuery query, boolean findingsOnly) {
        String makerId = caller.makerScope(query.makerId());
        String period = query.period();
        return settlement
                .uncovered(period == null ? null : SettlementResource.period(period))
                .stream()
                .filter(u -> makerId == null || makerId.equals(u.usage().makerId()))
                .filter(u -> !findingsOnly || u.usage().complianceFinding())
                .map(u -> view(u.period().toString(), u.usage(), u.licensedLater()))
                .toList();
    }

    static UsageView view(String period, UncoveredUsage u, boolean licensedLater) {
        Map<String, String> units = new TreeMap<>();
        u.units().forEach((k, v) -> units.put(k, Views.plain(v)));
        return new UsageView(
                new UsageOf(period, u.platformId(), u.modelId(), u.makerId()),
                u.customerType().name(),
                u.events(),
                Views.plain(u.revenue()),
                u.currency(),
                units,
                u.firstDay().toString(),
                u.lastDay().toString(),
                licensedLater,
                u.wouldHaveEarned() == null
                        ? null
                        : u.wouldHaveEarned()
                                .setScale(
                                        Rounding.fractionDigits(u.currency()),
                                        RoundingMode.HALF_EVEN)
                                .toPlainString());
    }
}
