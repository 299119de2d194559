package dev.fairshare.settlement.api;

import dev.fairshare.settlement.auth.Caller;
import dev.fairshare.settlement.engine.SettlementEngine;
import dev.fairshare.settlement.engine.StatementLine;
import dev.fairshare.settlement.problem.FieldError;
import dev.fairshare.settlement.problem.ProblemException;
import dev.fairshare.settlement.service.SettlementService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.math.BigDecimal;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "settlement")
@SecurityRequirement(name = "bearer")
public class SettlementResource {
    @Inject SettlementService settlement;

    @Inject Caller caller;

    @GET
    @RolesAllowed({Caller.FINANCE, Caller.MAKER, Caller.PLATFORM, Caller.ADMIN})
    @Path("periods")
    public List<Views.PeriodView> listPeriods() {
        return settlement.periods().stream()
                .map(
                        p ->
                                new Views.PeriodView(
                                        p.period().toString(),
                                        p.status(),
                                        p.closedAt() == null ? null : p.closedAt().toString()))
                .toList();
    }

    @POST
    @RolesAllowed(Caller.FINANCE)
    @Path("periods/{period}/close")
    public Views.CloseSummary closePeriod(
            @PathParam("period") String period,
            @QueryParam("force") @DefaultValue("false") boolean force) {
        SettlementService.Closed closed = settlement.close(period(period), force);
        SettlementService.Statement s = closed.statement();
        return new Views.CloseSummary(
                s.period().toString(),
                s.status(),
                s.closedAt().toString(),
                s.lines().size(),
                invoices(s.lines()),
                payouts(s.lines()),
                closed.currencyMismatches());
    }

    @GET
    @RolesAllowed({Caller.FINANCE, Caller.MAKER, Caller.PLATFORM})
    @Path("statements/{period}")
    public Views.StatementView getStatement(
            @PathParam("period") String period,
            @BeanParam Parties parties,
            @BeanParam Paging paging) {
        Parties.Scope scope = parties.scope(caller);
        SettlementService.Statement s = settlement.statement(period(period));
        List<StatementLine> lines =
                s.lines().stream().filter(l -> scope.admits(l.makerId(), l.platformId())).toList();
        Page<StatementLine> p = paging.of(lines);
        return new Views.StatementView(
                s.period().toString(),
                s.status(),
                p.items().stream().map(Views::line).toList(),
                p.page(),
                p.size(),
                p.total());
    }

    @GET
    @RolesAllowed({Caller.FINANCE, Caller.MAKER})
    @Path("payouts/{period}")
    public Views.Totals<Views.MakerAmount> getPayouts(
            @PathParam("period") String period,
            @QueryParam("makerId") String makerId,
            @BeanParam Paging paging) {
        return totals(
                period,
                SettlementResource::payouts,
                Views.MakerAmount::makerId,
                caller.makerScope(makerId),
                paging);
    }

    @GET
    @RolesAllowed({Caller.FINANCE, Caller.PLATFORM})
    @Path("invoices/{period}")
    public Views.Totals<Views.PlatformAmount> getInvoices(
            @PathParam("period") String period,
            @QueryParam("platformId") String platformId,
            @BeanParam Paging paging) {
        return totals(
                period,
                SettlementResource::invoices,
                Views.PlatformAmount::platformId,
                caller.platformScope(platformId),
                paging);
    }

    /**
     * A page of the per-party totals {@code rows} makes of {@code period}'s statement: a party's
     * own when {@code scope} names one, every party's when it is null.
     */
    private <T> Views.Totals<T> totals(
            String period,
            Function<List<StatementLine>, List<T>> rows,
            Function<T, String> party,
            String scope,
            Paging paging) {
        SettlementService.Statement s = settlement.statement(period(period));
        return Views.Totals.page(
                s.period().toString(),
                s.status(),
                rows.apply(s.lines()).stream()
                        .filter(t -> scope == null || scope.equals(party.apply(t)))
                        .toList(),
                paging);
    }

    @GET
    @RolesAllowed({Caller.FINANCE, Caller.MAKER})
    @Path("accruals")
    public Views.Totals<Views.MakerAmount> getAccruals(
            @QueryParam("makerId") String makerId, @BeanParam Paging paging) {
        return getPayouts(
                java.time.YearMonth.now(java.time.ZoneOffset.UTC).toString(), makerId, paging);
    }

    public static List<Views.MakerAmount> payouts(List<StatementLine> lines) {
        return amounts(SettlementEngine.payouts(lines), Views.MakerAmount::new);
    }

    public static List<Views.PlatformAmount> invoices(List<StatementLine> lines) {
        return amounts(SettlementEngine.invoices(lines), Views.PlatformAmount::new);
    }

    /** What a party's row is made of: its id, a currency and the amount as money. */
    private interface AmountRow<T> {
        T of(String party, String currency, String amount);
    }

    /** One row per party and currency of {@code byParty}, in its order. */
    private static <T> List<T> amounts(
            Map<String, Map<String, BigDecimal>> byParty, AmountRow<T> row) {
        List<T> out = new ArrayList<>();
        byParty.forEach(
                (party, amounts) ->
                        amounts.forEach(
                                (cur, amount) ->
                                        out.add(row.of(party, cur, Views.money(amount, cur)))));
        return out;
    }

    public static YearMonth period(String value) {
        try {
            if (value.length() == 7) {
                return YearMonth.parse(value);
            }
        } catch (DateTimeParseException e) {
            // answered below
        }
        throw new ProblemException(
                400,
                "INVALID_PERIOD",
                "period must be a month such as 2026-11",
                List.of(
                        new FieldError(
                                "period",
                                "INVALID_PERIOD",
                                "period must be a month such as 2026-11")));
    }
}
