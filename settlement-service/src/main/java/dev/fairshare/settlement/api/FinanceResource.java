package dev.fairshare.settlement.api;

import dev.fairshare.settlement.auth.Caller;
import dev.fairshare.settlement.domain.PostedEntry;
import dev.fairshare.settlement.problem.FieldError;
import dev.fairshare.settlement.problem.ProblemException;
import dev.fairshare.settlement.report.SettlementCsv;
import dev.fairshare.settlement.service.SettlementService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
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
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** What finance reconciles: the ledger, its balances, the settlement CSV. */
@Produces(MediaType.APPLICATION_JSON)
@Path("/")
@Tag(name = "finance")
@SecurityRequirement(name = "bearer")
@RolesAllowed(Caller.FINANCE)
public class FinanceResource {
    @Inject SettlementService settlement;

    @Inject Caller caller;

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

    @GET
    @Path("ledger/{period}")
    public Map<String, Object> getLedger(@PathParam("period") String period) {
        List<EntryView> items =
                settlement.ledger(SettlementResource.period(period)).stream()
                        .map(FinanceResource::entry)
                        .toList();
        return Map.of("period", period, "items", items);
    }

    @GET
    @Path("ledger/balances")
    public Map<String, Object> getLedgerBalances(@QueryParam("asOf") String asOf) {
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
    @Path("reports/{period}/settlement.csv")
    @Produces("text/csv")
    public Response getSettlementReport(@PathParam("period") String period) {
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
