package dev.fairshare.settlement.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.fairshare.settlement.auth.Caller;
import dev.fairshare.settlement.domain.PostedEntry;
import dev.fairshare.settlement.engine.CurrencyMismatch;
import dev.fairshare.settlement.engine.UncoveredUsage;
import dev.fairshare.settlement.problem.FieldError;
import dev.fairshare.settlement.problem.ProblemException;
import dev.fairshare.settlement.report.SettlementCsv;
import dev.fairshare.settlement.service.SettlementService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * What finance reconciles and what makers must see: the ledger, the CSV, unlicensed usage,
 * findings.
 */
@Produces(MediaType.APPLICATION_JSON)
@Path("/")
@Tag(name = "finance")
@SecurityRequirement(name = "bearer")
public class FinanceResource {
    private final SettlementService settlement;

    private final Caller caller;

    public FinanceResource(SettlementService settlement, Caller caller) {
        this.caller = caller;
        this.settlement = settlement;
    }

    public record JournalLineView(String account, String currency, String debit, String credit) {}

    public record EntryView(
            long id,
            String period,
            String platformId,
            String currency,
            String memo,
            String postedAt,
            List<JournalLineView> lines) {}

    public record BalanceView(String account, String currency, String balance) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record UsageView(
            String period,
            String platformId,
            String modelId,
            String makerId,
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
            String period,
            String platformId,
            String modelId,
            String makerId,
            String agreementId,
            String agreementCurrency,
            String currency,
            String revenue,
            long events) {}

    @GET
    @RolesAllowed({Caller.FINANCE, Caller.MAKER, Caller.PLATFORM})
    @Path("currency-mismatches")
    @Operation(
            operationId = "listCurrencyMismatches",
            summary =
                    "Usage whose revenue currency differs from its revenue-share agreement's (not converted, so not"
                            + " rated), per period, platform, model, agreement and currency; a MAKER or a PLATFORM"
                            + " sees its own")
    @APIResponse(responseCode = "200", description = "a page of currency-mismatched usage")
    @APIResponse(responseCode = "400", description = "INVALID_PERIOD, INVALID_PAGE")
    @APIResponse(
            responseCode = "403",
            description = "FORBIDDEN: another maker's or platform's, or an ADMIN token")
    @APIResponse(responseCode = "409", description = Responses.REGISTRY_INCOMPLETE)
    @APIResponse(responseCode = "503", description = Responses.STARTING)
    public Page<MismatchView> currencyMismatches(
            @QueryParam("period") String period,
            @QueryParam("makerId") String makerId,
            @QueryParam("platformId") String platformId,
            @QueryParam("page") @DefaultValue("0") int page,
            @QueryParam("size") @DefaultValue("100") int size) {
        String maker = caller.makerScope(makerId);
        String platform = caller.platformScope(platformId);
        Page.check(page, size);
        List<MismatchView> items =
                settlement
                        .currencyMismatches(
                                period == null ? null : SettlementResource.period(period))
                        .stream()
                        .filter(m -> maker == null || maker.equals(m.usage().makerId()))
                        .filter(m -> platform == null || platform.equals(m.usage().platformId()))
                        .map(m -> view(m.period().toString(), m.usage()))
                        .toList();
        return Page.of(items, page, size);
    }

    static MismatchView view(String period, CurrencyMismatch m) {
        return new MismatchView(
                period,
                m.platformId(),
                m.modelId(),
                m.makerId(),
                m.agreementId(),
                m.agreementCurrency(),
                m.currency(),
                Views.plain(m.revenue()),
                m.events());
    }

    @GET
    @RolesAllowed(Caller.FINANCE)
    @Path("ledger/{period}")
    @Operation(
            operationId = "getLedger",
            summary = "Journal entries posted by a period's close, with their lines (append-only)")
    @APIResponse(responseCode = "400", description = "INVALID_PERIOD")
    @APIResponse(responseCode = "200", description = "the period's journal entries")
    public Map<String, Object> ledger(@PathParam("period") String period) {
        List<EntryView> items =
                settlement.ledger(SettlementResource.period(period)).stream()
                        .map(FinanceResource::entry)
                        .toList();
        return Map.of("period", period, "items", items);
    }

    @GET
    @RolesAllowed(Caller.FINANCE)
    @Path("ledger/balances")
    @Operation(
            operationId = "getLedgerBalances",
            summary =
                    "Balance (credits − debits) per account and currency, as of an instant or a day (default: now)")
    @APIResponse(responseCode = "400", description = "INVALID_VALUE (asOf)")
    @APIResponse(responseCode = "200", description = "the balance of every account")
    public Map<String, Object> balances(@QueryParam("asOf") String asOf) {
        Instant at = asOf(asOf);
        List<BalanceView> items =
                settlement.balances(at).stream()
                        .map(
                                b ->
                                        new BalanceView(
                                                b.account(),
                                                b.currency(),
                                                Views.money(b.balance(), b.currency())))
                        .toList();
        return Map.of("asOf", at.toString(), "items", items);
    }

    @GET
    @RolesAllowed(Caller.FINANCE)
    @Path("reports/{period}/settlement.csv")
    @Produces("text/csv")
    @Operation(
            operationId = "getSettlementReport",
            summary = "One RFC 4180 row per statement line, with a header row (streamed)")
    @APIResponse(
            responseCode = "200",
            description = "the statement lines as CSV",
            content = @Content(mediaType = "text/csv", schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "400", description = "INVALID_PERIOD")
    public Response csv(@PathParam("period") String period) {
        return settlementCsv(settlement, SettlementResource.period(period));
    }

    /** The settlement CSV of {@code p}, streamed (the API's and the dashboard's download). */
    public static Response settlementCsv(SettlementService settlement, java.time.YearMonth p) {
        StreamingOutput body =
                out -> {
                    BufferedWriter writer =
                            new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
                    try (SettlementCsv csv = new SettlementCsv(writer)) {
                        settlement.forEachLine(
                                p,
                                line -> {
                                    try {
                                        csv.write(line);
                                    } catch (java.io.IOException e) {
                                        throw new java.io.UncheckedIOException(e);
                                    }
                                });
                    }
                    writer.flush();
                };
        return Response.ok(body, "text/csv; charset=UTF-8")
                .header("Content-Disposition", "attachment; filename=\"settlement-" + p + ".csv\"")
                .build();
    }

    @GET
    @RolesAllowed({Caller.FINANCE, Caller.MAKER})
    @Path("unlicensed-usage")
    @Operation(
            operationId = "listUnlicensedUsage",
            summary = "Usage of a maker's models on platforms with no agreement in force for it")
    @APIResponse(responseCode = "400", description = "INVALID_PERIOD")
    @APIResponse(responseCode = "200", description = "a page of unlicensed usage")
    public Page<UsageView> unlicensed(
            @QueryParam("makerId") String makerId,
            @QueryParam("period") String period,
            @QueryParam("page") @DefaultValue("0") int page,
            @QueryParam("size") @DefaultValue("100") int size) {
        return Page.of(uncovered(caller.makerScope(makerId), period, false), page, size);
    }

    @GET
    @RolesAllowed({Caller.FINANCE, Caller.MAKER})
    @Path("compliance/findings")
    @Operation(
            operationId = "listComplianceFindings",
            summary =
                    "Commercial use of models whose licence forbids it, on platforms without an agreement")
    @APIResponse(responseCode = "400", description = "INVALID_PERIOD")
    @APIResponse(responseCode = "200", description = "a page of findings")
    public Page<UsageView> findings(
            @QueryParam("makerId") String makerId,
            @QueryParam("period") String period,
            @QueryParam("page") @DefaultValue("0") int page,
            @QueryParam("size") @DefaultValue("100") int size) {
        return Page.of(uncovered(caller.makerScope(makerId), period, true), page, size);
    }

    private List<UsageView> uncovered(String makerId, String period, boolean findingsOnly) {
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
                period,
                u.platformId(),
                u.modelId(),
                u.makerId(),
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
                                        dev.fairshare.settlement.engine.Rounding.fractionDigits(
                                                u.currency()),
                                        java.math.RoundingMode.HALF_EVEN)
                                .toPlainString());
    }

    static EntryView entry(PostedEntry p) {
        return new EntryView(
                p.id(),
                p.entry().period().toString(),
                p.entry().platformId(),
                p.entry().currency(),
                p.entry().memo(),
                p.postedAt().toString(),
                p.entry().lines().stream()
                        .map(
                                l ->
                                        new JournalLineView(
                                                l.account(),
                                                l.currency(),
                                                Views.money(l.debit(), l.currency()),
                                                Views.money(l.credit(), l.currency())))
                        .toList());
    }

    static Instant asOf(String value) {
        if (value == null || value.isBlank()) {
            return Instant.now();
        }
        try {
            return value.length() == 10
                    ? LocalDate.parse(value)
                            .plusDays(1)
                            .atStartOfDay()
                            .toInstant(ZoneOffset.UTC)
                            .minusNanos(1)
                    : Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new ProblemException(
                    400,
                    "INVALID_VALUE",
                    "asOf must be an instant or a day such as 2026-11-30",
                    List.of(
                            new FieldError(
                                    "asOf", "INVALID_VALUE", "asOf must be an instant or a day")));
        }
    }
}
