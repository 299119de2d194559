package dev.fairshare.settlement.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fairshare.settlement.api.FinanceResource;
import dev.fairshare.settlement.api.SettlementResource;
import dev.fairshare.settlement.api.Views;
import dev.fairshare.settlement.domain.PeriodState;
import dev.fairshare.settlement.engine.LineKind;
import dev.fairshare.settlement.engine.ModelInfo;
import dev.fairshare.settlement.engine.Parent;
import dev.fairshare.settlement.engine.StatementLine;
import dev.fairshare.settlement.problem.ProblemException;
import dev.fairshare.settlement.registry.RegistryReplica;
import dev.fairshare.settlement.service.SettlementService;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The dashboard, served at {@code /}: a login through the registry's token endpoint (the token then
 * lives in an HttpOnly, SameSite, Secure cookie that only these pages read; the API takes the
 * Authorization header alone), the maker's view of its earnings and the finance view of periods,
 * invoices, payouts and reports. Every form carries the session's CSRF token, checked before each
 * POST method runs ({@link Session}, {@link CsrfProtected}). Every number comes from the same
 * service methods as the API, narrowed to the caller's tenant here as there.
 */
@Path("/")
@Blocking
@CsrfProtected
@Tag(name = "dashboard")
public class DashboardResource {
    public static final String COOKIE = Session.COOKIE;

    private final SettlementService settlement;
    private final RegistryReplica registry;
    private final Peers peers;
    private final ObjectMapper mapper;
    private final Session session;
    private final Template login;
    private final Template maker;
    private final Template finance;
    private final Template lines;
    private final PoolPages poolPages;

    public DashboardResource(
            SettlementService settlement,
            PoolPages poolPages,
            RegistryReplica registry,
            Peers peers,
            ObjectMapper mapper,
            Session session,
            @Location("login.html") Template login,
            @Location("maker.html") Template maker,
            @Location("finance.html") Template finance,
            @Location("lines.html") Template lines) {
        this.settlement = settlement;
        this.poolPages = poolPages;
        this.registry = registry;
        this.peers = peers;
        this.mapper = mapper;
        this.session = session;
        this.login = login;
        this.maker = maker;
        this.finance = finance;
        this.lines = lines;
    }

    /** The signed-in user, from the session cookie. */
    private record Viewer(String user, String role, String makerId, String token) {}

    private Optional<Viewer> viewer() {
        Optional<JsonWebToken> token = session.token();
        if (token.isEmpty()) {
            return Optional.empty();
        }
        JsonWebToken jwt = token.get();
        String role =
                jwt.getGroups().stream()
                        .filter(g -> List.of("MAKER", "FINANCE", "PLATFORM", "ADMIN").contains(g))
                        .findFirst()
                        .orElse("");
        String makerId = jwt.getClaim("makerId");
        if ("MAKER".equals(role) && (makerId == null || makerId.isBlank())) {
            // a MAKER token that names no maker sees nothing rather than everything
            role = "";
        }
        return Optional.of(new Viewer(jwt.getName(), role, makerId, jwt.getRawToken()));
    }

    private static Response redirect(String to) {
        return Response.seeOther(URI.create(to)).build();
    }

    @GET
    @PermitAll
    @Operation(hidden = true)
    public Response root() {
        return redirect("/dashboard");
    }

    @GET
    @PermitAll
    @Path("dashboard")
    @Operation(summary = "The dashboard: the maker or finance view of the signed-in user")
    public Response dashboard() {
        Optional<Viewer> v = viewer();
        if (v.isEmpty()) {
            return redirect("/login");
        }
        return switch (v.get().role()) {
            case "MAKER" -> redirect("/dashboard/maker");
            case "FINANCE" -> redirect("/dashboard/finance");
            default ->
                    Response.status(403)
                            .type(MediaType.TEXT_HTML)
                            .entity(
                                    login.data(
                                            "error",
                                            "The dashboard is for makers and finance; "
                                                    + (v.get().role().isEmpty()
                                                            ? "this account uses"
                                                            : v.get().role() + " accounts use")
                                                    + " the API."))
                            .type(MediaType.TEXT_HTML)
                            .build();
        };
    }

    @GET
    @PermitAll
    @Path("login")
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "The sign-in page")
    public Response loginPage() {
        // the form's CSRF token first: it may need a pre-session cookie, set with this answer
        session.csrfToken();
        Response.ResponseBuilder page = Response.ok(login.data("error", null));
        session.issuedCookie().ifPresent(page::cookie);
        return page.build();
    }

    @POST
    @PermitAll
    @Path("login")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Operation(
            summary =
                    "Sign in with a username and password (checked by registry-service); sets the HttpOnly token cookie")
    public Response signIn(
            @FormParam("username") String username,
            @FormParam("password") String password,
            @FormParam(Session.CSRF_FIELD) String csrf) {
        if (username == null || username.isBlank() || password == null || password.isEmpty()) {
            return Response.status(400)
                    .entity(login.data("error", "Enter your username and password."))
                    .build();
        }
        Peers.Login answer;
        try {
            answer = peers.login(username.trim(), password, session.clientAddress());
        } catch (IOException e) {
            return Response.status(503)
                    .entity(login.data("error", "Sign-in is unavailable right now; try again."))
                    .build();
        }
        if (answer.status() == 429) {
            return Response.status(429)
                    .header("Retry-After", answer.retryAfter())
                    .entity(
                            login.data(
                                    "error",
                                    "Too many failed sign-ins; try again in "
                                            + answer.retryAfter()
                                            + " seconds."))
                    .build();
        }
        if (answer.token() == null) {
            return Response.status(401)
                    .entity(login.data("error", "Unknown username or wrong password."))
                    .build();
        }
        NewCookie cookie =
                session.cookie(
                        COOKIE, answer.token().accessToken(), (int) answer.token().expiresIn());
        return Response.seeOther(URI.create("/dashboard")).cookie(cookie).build();
    }

    @POST
    @PermitAll
    @Path("logout")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(summary = "Sign out: clears the token cookie")
    public Response signOut(@FormParam(Session.CSRF_FIELD) String csrf) {
        // csrf is checked by CsrfInterceptor
        return Response.seeOther(URI.create("/login"))
                .cookie(session.cookie(COOKIE, "", 0))
                .build();
    }

    // ---------------------------------------------------------------- maker

    @GET
    @PermitAll
    @Path("dashboard/maker")
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "A maker's earnings, lineage, unlicensed usage and findings")
    public Response makerPage(@QueryParam("period") String period) {
        Optional<Viewer> v = viewer();
        if (v.isEmpty() || !"MAKER".equals(v.get().role()) || v.get().makerId() == null) {
            return redirect(v.isEmpty() ? "/login" : "/dashboard");
        }
        String me = v.get().makerId();
        YearMonth current = YearMonth.now(ZoneOffset.UTC);
        YearMonth selected = period == null ? current : SettlementResource.period(period);
        Map<String, String> platformNames = registry.platformNames();

        // every period's statement once: the chart, the totals, and the selected period's lines
        TreeSet<YearMonth> all = new TreeSet<>();
        settlement.periods().forEach(p -> all.add(p.period()));
        all.add(current);
        all.add(selected);
        Map<YearMonth, SettlementService.Statement> statements = new TreeMap<>();
        for (YearMonth p : all) {
            statements.put(p, settlement.statement(p));
        }

        List<Pages.PeriodTotal> totals = new ArrayList<>();
        Map<String, Map<YearMonth, BigDecimal>> stacks = new TreeMap<>();
        for (var s : statements.values()) {
            Map<String, BigDecimal> byCurrency = new TreeMap<>();
            for (StatementLine l : mine(s.lines(), me)) {
                byCurrency.merge(l.currency(), l.amount(), BigDecimal::add);
                stacks.computeIfAbsent(
                                platformNames.getOrDefault(l.platformId(), l.platformId())
                                        + " ("
                                        + l.currency()
                                        + ")",
                                k -> new TreeMap<>())
                        .merge(s.period(), l.amount(), BigDecimal::add);
            }
            byCurrency.forEach(
                    (cur, amount) ->
                            totals.add(
                                    new Pages.PeriodTotal(
                                            s.period().toString(),
                                            s.status(),
                                            cur,
                                            Money.format(amount, cur),
                                            "total-" + s.period() + "-" + cur,
                                            "/dashboard/lines/"
                                                    + s.period()
                                                    + "?currency="
                                                    + cur)));
        }

        List<Pages.Amount> accrual = new ArrayList<>();
        Map<String, BigDecimal> accrued = new TreeMap<>();
        mine(statements.get(current).lines(), me)
                .forEach(l -> accrued.merge(l.currency(), l.amount(), BigDecimal::add));
        accrued.forEach(
                (cur, amount) ->
                        accrual.add(
                                new Pages.Amount(
                                        cur, Money.format(amount, cur), "accrual-" + cur)));

        List<Pages.Earning> earnings = earnings(statements.get(selected), me, platformNames);
        List<Pages.Uncovered> unlicensed = new ArrayList<>();
        List<SettlementService.Uncovered> uncovered = settlement.uncovered(null);
        for (SettlementService.Uncovered u : uncovered) {
            if (me.equals(u.usage().makerId())) {
                unlicensed.add(
                        new Pages.Uncovered(
                                u.period().toString(),
                                platformNames.getOrDefault(
                                        u.usage().platformId(), u.usage().platformId()),
                                u.usage().modelId(),
                                u.usage().customerType().name(),
                                u.usage().events(),
                                Money.format(u.usage().revenue(), u.usage().currency()),
                                u.usage().complianceFinding(),
                                u.usage().firstDay().toString(),
                                u.usage().lastDay().toString()));
            }
        }
        List<Pages.Mismatch> mismatches =
                mismatches(settlement.currencyMismatches(null), me, platformNames);
        Pages.MakerPage page =
                new Pages.MakerPage(
                        v.get().user(),
                        me,
                        registry.makerNames().getOrDefault(me, me),
                        selected.toString(),
                        periods(all, selected),
                        accrual,
                        current.toString(),
                        chart(all, stacks),
                        totals,
                        earnings,
                        lineage(me),
                        unlicensed,
                        mismatches,
                        names(me, platformNames),
                        proposals(me, platformNames));
        return Response.ok(
                        maker.data("page", page)
                                .data(
                                        "pools",
                                        poolPages.maker(
                                                me, statements.values(), uncovered, platformNames)))
                .type(MediaType.TEXT_HTML)
                .build();
    }

    /** The rows of currency-mismatched usage, of one maker only unless {@code makerId} is null. */
    private static List<Pages.Mismatch> mismatches(
            List<SettlementService.Mismatch> all,
            String makerId,
            Map<String, String> platformNames) {
        List<Pages.Mismatch> out = new ArrayList<>();
        for (SettlementService.Mismatch m : all) {
            var u = m.usage();
            if (makerId != null && !makerId.equals(u.makerId())) {
                continue;
            }
            out.add(
                    new Pages.Mismatch(
                            m.period().toString(),
                            platformNames.getOrDefault(u.platformId(), u.platformId()),
                            u.modelId(),
                            u.makerId(),
                            u.agreementId(),
                            u.agreementCurrency(),
                            u.events(),
                            Money.format(u.revenue(), u.currency()),
                            "mismatch-"
                                    + m.period()
                                    + "-"
                                    + u.platformId()
                                    + "-"
                                    + u.modelId()
                                    + "-"
                                    + u.currency()));
        }
        return out;
    }

    /** The maker's proposals of platform aliases, open ones first, each group oldest first. */
    private List<Pages.ProposalRow> proposals(String makerId, Map<String, String> platformNames) {
        List<Pages.ProposalRow> rows = new ArrayList<>();
        for (RegistryReplica.Proposal p : registry.proposals(makerId)) {
            rows.add(
                    new Pages.ProposalRow(
                            "proposal-" + p.proposalId(),
                            p.ref(),
                            platformNames.getOrDefault(p.platformId(), p.platformId()),
                            p.modelId(),
                            p.status(),
                            p.proposedAt(),
                            p.decidedAt()));
        }
        rows.sort(java.util.Comparator.comparing(r -> !"PROPOSED".equals(r.status())));
        return rows;
    }

    /** The aliases of the maker's models, by model, ref and validFrom. */
    private List<Pages.Name> names(String makerId, Map<String, String> platformNames) {
        List<Pages.Name> names = new ArrayList<>();
        new TreeMap<>(registry.models())
                .values()
                .forEach(
                        m -> {
                            if (!makerId.equals(m.makerId())) {
                                return;
                            }
                            for (RegistryReplica.Alias a : registry.aliases(m.id())) {
                                names.add(
                                        new Pages.Name(
                                                m.id(),
                                                a.ref(),
                                                a.platformId() == null
                                                        ? "every platform"
                                                        : platformNames.getOrDefault(
                                                                a.platformId(), a.platformId()),
                                                a.validFrom().startsWith("1970-01-01")
                                                        ? "always"
                                                        : a.validFrom().substring(0, 10)));
                            }
                        });
        names.sort(
                java.util.Comparator.comparing(Pages.Name::modelId)
                        .thenComparing(Pages.Name::ref)
                        .thenComparing(Pages.Name::validFrom));
        return names;
    }

    private static List<StatementLine> mine(List<StatementLine> lines, String makerId) {
        return lines.stream().filter(l -> makerId.equals(l.makerId())).toList();
    }

    private List<Pages.Earning> earnings(
            SettlementService.Statement s, String me, Map<String, String> platformNames) {
        record Key(
                LineKind kind,
                String modelId,
                String sourceModelId,
                String platformId,
                String currency) {}
        Map<Key, BigDecimal> sums = new java.util.LinkedHashMap<>();
        for (StatementLine l : mine(s.lines(), me)) {
            sums.merge(
                    new Key(l.kind(), l.modelId(), l.sourceModelId(), l.platformId(), l.currency()),
                    l.amount(),
                    BigDecimal::add);
        }
        List<Pages.Earning> out = new ArrayList<>();
        sums.forEach(
                (k, amount) ->
                        out.add(
                                new Pages.Earning(
                                        k.kind().name(),
                                        k.modelId(),
                                        k.sourceModelId(),
                                        platformNames.getOrDefault(k.platformId(), k.platformId()),
                                        k.currency(),
                                        Money.format(amount, k.currency()),
                                        "/dashboard/lines/"
                                                + s.period()
                                                + "?kind="
                                                + k.kind()
                                                + "&platformId="
                                                + encode(k.platformId())
                                                + "&currency="
                                                + k.currency()
                                                + (k.modelId() == null
                                                        ? ""
                                                        : "&modelId=" + encode(k.modelId()))
                                                + (k.sourceModelId() == null
                                                        ? ""
                                                        : "&sourceModelId="
                                                                + encode(k.sourceModelId())))));
        return out;
    }

    /** The maker's models with their ancestors, then the models derived from them. */
    private List<Pages.LineageRow> lineage(String me) {
        Map<String, ModelInfo> models = registry.models();
        List<Pages.LineageRow> rows = new ArrayList<>();
        for (ModelInfo m : new TreeMap<>(models).values()) {
            if (me.equals(m.makerId())) {
                rows.add(new Pages.LineageRow(0, m.id(), m.makerId(), null, true));
                ancestors(m, models, 1, rows);
            }
        }
        for (ModelInfo m : new TreeMap<>(models).values()) {
            for (Parent p : m.parents()) {
                ModelInfo parent = models.get(p.modelId());
                if (!me.equals(m.makerId()) && parent != null && me.equals(parent.makerId())) {
                    rows.add(
                            new Pages.LineageRow(
                                    0,
                                    m.id() + " (derived from " + parent.id() + ")",
                                    m.makerId(),
                                    p.royaltyShare().stripTrailingZeros().toPlainString(),
                                    false));
                }
            }
        }
        return rows;
    }

    private static void ancestors(
            ModelInfo m, Map<String, ModelInfo> models, int depth, List<Pages.LineageRow> rows) {
        if (depth > 10) {
            return;
        }
        for (Parent p : m.parents()) {
            ModelInfo parent = models.get(p.modelId());
            rows.add(
                    new Pages.LineageRow(
                            depth,
                            p.modelId(),
                            parent == null ? "?" : parent.makerId(),
                            p.royaltyShare().stripTrailingZeros().toPlainString(),
                            false));
            if (parent != null) {
                ancestors(parent, models, depth + 1, rows);
            }
        }
    }

    /** The chart's data: periods on the x axis, one stacked series per platform and currency. */
    private String chart(
            TreeSet<YearMonth> periods, Map<String, Map<YearMonth, BigDecimal>> stacks) {
        ObjectNode json = mapper.createObjectNode();
        ArrayNode x = json.putArray("periods");
        periods.forEach(p -> x.add(p.toString()));
        ArrayNode series = json.putArray("series");
        stacks.forEach(
                (name, byPeriod) -> {
                    ObjectNode s = series.addObject();
                    s.put("name", name);
                    s.put("stack", name.substring(name.lastIndexOf('(') + 1, name.length() - 1));
                    ArrayNode data = s.putArray("data");
                    periods.forEach(
                            p ->
                                    data.add(
                                            byPeriod.getOrDefault(p, BigDecimal.ZERO)
                                                    .toPlainString()));
                });
        try {
            // inside a <script> element: no "</" may appear
            return mapper.writeValueAsString(json).replace("<", "\\u003c");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Pages.Period> periods(TreeSet<YearMonth> all, YearMonth selected) {
        List<Pages.Period> out = new ArrayList<>();
        for (YearMonth p : all.descendingSet()) {
            out.add(new Pages.Period(p.toString(), null, null, p.equals(selected)));
        }
        return out;
    }

    // ---------------------------------------------------------------- finance

    @GET
    @PermitAll
    @Path("dashboard/finance")
    @Produces(MediaType.TEXT_HTML)
    @Operation(
            summary = "Finance: periods and closes, invoices, payouts, reports, unattributed usage")
    public Response financePage(
            @QueryParam("period") String period,
            @QueryParam("message") String message,
            @QueryParam("error") String error) {
        // ?message= and ?error= are codes: the page says what they mean, never echoes them
        Optional<Viewer> v = viewer();
        if (v.isEmpty() || !"FINANCE".equals(v.get().role())) {
            return redirect(v.isEmpty() ? "/login" : "/dashboard");
        }
        YearMonth current = YearMonth.now(ZoneOffset.UTC);
        YearMonth selected =
                period == null ? current.minusMonths(1) : SettlementResource.period(period);
        // every period (see SettlementService) and the selected one, newest first
        Map<YearMonth, PeriodState> states = new TreeMap<>();
        settlement.periods().forEach(p -> states.put(p.period(), p));
        states.putIfAbsent(selected, new PeriodState(selected, SettlementService.OPEN, null));
        List<Pages.Period> periods = new ArrayList<>();
        for (PeriodState p : states.values()) {
            periods.add(
                    0,
                    new Pages.Period(
                            p.period().toString(),
                            p.status(),
                            p.closedAt() == null ? "" : p.closedAt().toString(),
                            p.period().equals(selected)));
        }
        SettlementService.Statement s = settlement.statement(selected);
        Map<String, String> platformNames = registry.platformNames();
        Map<String, String> makerNames = registry.makerNames();
        List<Pages.PartyAmount> invoices = new ArrayList<>();
        for (Views.PlatformAmount a : SettlementResource.invoices(s.lines())) {
            invoices.add(
                    new Pages.PartyAmount(
                            a.platformId(),
                            platformNames.getOrDefault(a.platformId(), a.platformId()),
                            a.currency(),
                            Money.format(new BigDecimal(a.amount()), a.currency()),
                            "invoice-" + a.platformId() + "-" + a.currency()));
        }
        List<Pages.PartyAmount> payouts = new ArrayList<>();
        for (Views.MakerAmount a : SettlementResource.payouts(s.lines())) {
            payouts.add(
                    new Pages.PartyAmount(
                            a.makerId(),
                            makerNames.getOrDefault(a.makerId(), a.makerId()),
                            a.currency(),
                            Money.format(new BigDecimal(a.amount()), a.currency()),
                            "payout-" + a.makerId() + "-" + a.currency()));
        }
        List<Pages.Unattributed> unattributed = new ArrayList<>();
        String unattributedError = null;
        try {
            for (JsonNode n : peers.unattributed(v.get().token())) {
                unattributed.add(
                        new Pages.Unattributed(
                                n.path("platformId").asText(),
                                n.path("modelRef").asText(),
                                n.path("events").asLong(),
                                n.path("firstSeen").asText(),
                                n.path("lastSeen").asText()));
            }
        } catch (IOException e) {
            unattributedError = "usage-service did not answer: " + e.getMessage();
        }
        List<Pages.Quarantined> quarantined = new ArrayList<>();
        String quarantineError = null;
        try {
            for (JsonNode n : peers.quarantine(v.get().token())) {
                quarantined.add(
                        new Pages.Quarantined(
                                n.path("platformId").asText(),
                                n.path("topic").asText(),
                                n.path("partition").asInt(),
                                n.path("offset").asLong(),
                                n.path("reason").asText(),
                                n.path("quarantinedAt").asText()));
            }
        } catch (IOException e) {
            quarantineError = "usage-service did not answer: " + e.getMessage();
        }
        List<Pages.Mismatch> mismatches =
                mismatches(settlement.currencyMismatches(selected), null, platformNames);
        Pages.FinancePage page =
                new Pages.FinancePage(
                        v.get().user(),
                        selected.toString(),
                        s.status(),
                        periods,
                        invoices,
                        payouts,
                        "/dashboard/finance/settlement.csv?period=" + selected,
                        unattributed,
                        unattributedError,
                        quarantined,
                        quarantineError,
                        mismatches,
                        Notices.closed(message, selected, s, mismatches.size()),
                        Notices.closeRefused(error));
        return Response.ok(
                        finance.data("page", page)
                                .data(
                                        "pools",
                                        poolPages.finance(selected, platformNames, makerNames)))
                .type(MediaType.TEXT_HTML)
                .build();
    }

    @POST
    @PermitAll
    @Path("dashboard/finance/close")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(
            summary =
                    "Close a period from the dashboard (the same rules as POST /periods/{p}/close)")
    public Response close(
            @FormParam("period") String period,
            @FormParam("force") String force,
            @FormParam(Session.CSRF_FIELD) String csrf) {
        Optional<Viewer> v = viewer();
        if (v.isEmpty() || !"FINANCE".equals(v.get().role())) {
            return redirect(v.isEmpty() ? "/login" : "/dashboard");
        }
        YearMonth p = SettlementResource.period(period);
        try {
            settlement.close(p, "on".equals(force));
            return redirect("/dashboard/finance?period=" + p + "&message=" + Notices.CLOSED);
        } catch (ProblemException e) {
            return redirect("/dashboard/finance?period=" + p + "&error=" + encode(e.code()));
        }
    }

    @GET
    @PermitAll
    @Path("dashboard/finance/settlement.csv")
    @Produces("text/csv")
    @Operation(
            operationId = "downloadDashboardSettlementCsv",
            summary =
                    "The settlement CSV of a period for the signed-in finance user (the same file as"
                            + " GET /reports/{period}/settlement.csv, which takes the Authorization"
                            + " header only)")
    @APIResponse(responseCode = "200", description = "the CSV (text/csv)")
    @APIResponse(responseCode = "303", description = "not signed in as FINANCE: to the sign-in")
    @APIResponse(responseCode = "400", description = "INVALID_PERIOD")
    public Response financeCsv(@QueryParam("period") String period) {
        Optional<Viewer> v = viewer();
        if (v.isEmpty() || !"FINANCE".equals(v.get().role())) {
            return redirect(v.isEmpty() ? "/login" : "/dashboard");
        }
        return FinanceResource.settlementCsv(settlement, SettlementResource.period(period));
    }

    // ---------------------------------------------------------------- lines

    @GET
    @PermitAll
    @Path("dashboard/lines/{period}")
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "The statement lines behind a number of the dashboard")
    public Response linesPage(
            @PathParam("period") String period,
            @QueryParam("kind") String kind,
            @QueryParam("platformId") String platformId,
            @QueryParam("modelId") String modelId,
            @QueryParam("sourceModelId") String sourceModelId,
            @QueryParam("currency") String currency) {
        Optional<Viewer> v = viewer();
        if (v.isEmpty() || !("MAKER".equals(v.get().role()) || "FINANCE".equals(v.get().role()))) {
            return redirect(v.isEmpty() ? "/login" : "/dashboard");
        }
        String makerId = "MAKER".equals(v.get().role()) ? v.get().makerId() : null;
        SettlementService.Statement s = settlement.statement(SettlementResource.period(period));
        Map<String, String> platformNames = registry.platformNames();
        List<Pages.Line> rows = new ArrayList<>();
        Map<String, BigDecimal> total = new TreeMap<>();
        for (StatementLine l : s.lines()) {
            if ((makerId != null && !makerId.equals(l.makerId()))
                    || (kind != null && !kind.equals(l.kind().name()))
                    || (platformId != null && !platformId.equals(l.platformId()))
                    || (modelId != null && !modelId.equals(l.modelId()))
                    || (sourceModelId != null && !sourceModelId.equals(l.sourceModelId()))
                    || (currency != null && !currency.equals(l.currency()))) {
                continue;
            }
            total.merge(l.currency(), l.amount(), BigDecimal::add);
            rows.add(
                    new Pages.Line(
                            l.makerId(),
                            platformNames.getOrDefault(l.platformId(), l.platformId()),
                            l.modelId(),
                            l.kind().name(),
                            l.sourceModelId(),
                            l.customerType() == null ? "" : l.customerType().name(),
                            Views.plain(l.basis()),
                            Money.format(l.amount(), l.currency()),
                            l.adjustsPeriod() == null ? "" : l.adjustsPeriod().toString()));
        }
        List<String> filter = new ArrayList<>();
        for (String f : new String[] {kind, platformId, modelId, sourceModelId, currency}) {
            if (f != null) {
                filter.add(f);
            }
        }
        StringBuilder totals = new StringBuilder();
        total.forEach(
                (cur, amount) ->
                        totals.append(totals.isEmpty() ? "" : " · ")
                                .append(Money.format(amount, cur)));
        Pages.LinesPage page =
                new Pages.LinesPage(
                        v.get().user(),
                        s.period().toString(),
                        s.status(),
                        String.join(" · ", filter),
                        "MAKER".equals(v.get().role())
                                ? "/dashboard/maker?period=" + s.period()
                                : "/dashboard/finance?period=" + s.period(),
                        rows,
                        totals.toString());
        return Response.ok(lines.data("page", page)).type(MediaType.TEXT_HTML).build();
    }

    private static String encode(String s) {
        return URLEncoder.encode(Objects.requireNonNull(s), StandardCharsets.UTF_8);
    }
}
