package dev.fairshare.settlement;

import static dev.fairshare.settlement.SettlementFlowTest.amount;
import static dev.fairshare.settlement.SettlementFlowTest.delta;
import static dev.fairshare.settlement.SettlementFlowTest.send;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.fairshare.localstack.FairshareTestResource;
import dev.fairshare.localstack.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Who may read and close what: FINANCE everything, a MAKER its own numbers, a PLATFORM its own
 * invoices and statement lines.
 */
@QuarkusTest
@QuarkusTestResource(
        value = FairshareTestResource.class,
        initArgs = @ResourceArg(name = "database", value = "settlement"))
class AuthMatrixTest {
    @TestHTTPResource(value = "/", management = true)
    java.net.URL managementPort;

    @Test
    void healthMetricsAndOpenApiAreOnTheManagementPortOnly() {
        dev.fairshare.localstack.ManagementPaths.assertInPlace(
                io.restassured.RestAssured.port, managementPort);
    }

    static final String PROBLEM_JSON = "application/problem+json";

    /** The period of the matrix's reads: no usage, and no other test uses it. */
    static final String READ_PERIOD = "2024-01";

    /**
     * The period of the data check. Not 2024-01: usage in an open month blocks the close of every
     * later month (EARLIER_PERIOD_OPEN), and SettlementFlowTest closes 2025-03 to 2025-06. A month
     * after those (and after ComplianceTest's open 2026-02) adds no such constraint.
     */
    static final String DATA_PERIOD = "2026-03";

    static final String S = UUID.randomUUID().toString().substring(0, 6);

    /** The tenants of the matrix's tokens (the reads only filter by them: they need not exist). */
    static final String MAKER_ID = "authz-mk-" + S;

    static final String PLATFORM_ID = "authz-pf-" + S;

    // ---------------------------------------------------------------- the matrix

    enum Who {
        NOBODY,
        FINANCE,
        MAKER,
        PLATFORM,
        ADMIN
    }

    /** The makerId (MAKER) or platformId (PLATFORM) a read asks for: none, its own, another. */
    enum Scope {
        NONE,
        OWN,
        OTHER
    }

    enum Endpoint {
        PERIODS,
        CLOSE,
        STATEMENT,
        PAYOUTS,
        INVOICES,
        ACCRUALS,
        LEDGER,
        BALANCES,
        CSV,
        UNLICENSED,
        FINDINGS,
        CURRENCY_MISMATCHES,
        PROFILE_OWN,
        PROFILE_OTHER,
        PUT_PROFILE_OWN,
        PUT_PROFILE_OTHER,
        RECORD_RATE,
        RATES,
        CREATE_RUN,
        RUNS,
        RUN,
        APPROVE_RUN,
        CANCEL_RUN,
        PAYMENT_FILE,
        LINE_PAID,
        LINE_FAILED,
        REMITTANCE_OWN,
        REMITTANCE_OTHER,
        DECLARE_POOL,
        DECLARE_POOL_OTHER,
        POOLS;

        Response call(RequestSpecification r) {
            return switch (this) {
                case PERIODS -> r.get("/periods");
                // the current month: even a close that got past the role check would stop at
                // GRACE_PERIOD_NOT_OVER (409), so this row can never close a period
                case CLOSE -> r.post("/periods/" + YearMonth.now(ZoneOffset.UTC) + "/close");
                case STATEMENT -> r.get("/statements/" + READ_PERIOD);
                case PAYOUTS -> r.get("/payouts/" + READ_PERIOD);
                case INVOICES -> r.get("/invoices/" + READ_PERIOD);
                case ACCRUALS -> r.get("/accruals");
                case LEDGER -> r.get("/ledger/" + READ_PERIOD);
                case BALANCES -> r.get("/ledger/balances");
                case CSV -> r.get("/reports/" + READ_PERIOD + "/settlement.csv");
                case UNLICENSED -> r.get("/unlicensed-usage");
                case FINDINGS -> r.get("/compliance/findings");
                case CURRENCY_MISMATCHES -> r.get("/currency-mismatches");
                // payouts: the matrix's maker has no profile and run 0 does not exist, so a call
                // that passes the role and tenant checks ends at 404 (or 422 for an empty body)
                // and changes nothing
                case PROFILE_OWN -> r.get("/payout-profiles/" + MAKER_ID);
                case PROFILE_OTHER -> r.get("/payout-profiles/someone-else-" + S);
                case PUT_PROFILE_OWN ->
                        r.contentType("application/json")
                                .body("{}")
                                .put("/payout-profiles/" + MAKER_ID);
                case PUT_PROFILE_OTHER ->
                        r.contentType("application/json")
                                .body("{}")
                                .put("/payout-profiles/someone-else-" + S);
                case RECORD_RATE -> r.contentType("application/json").body("{}").post("/fx-rates");
                case RATES -> r.get("/fx-rates");
                case CREATE_RUN ->
                        r.contentType("application/json").body("{}").post("/payout-runs");
                case RUNS -> r.get("/payout-runs");
                case RUN -> r.get("/payout-runs/0");
                case APPROVE_RUN -> r.post("/payout-runs/0/approve");
                case CANCEL_RUN -> r.post("/payout-runs/0/cancel");
                case PAYMENT_FILE -> r.get("/payout-runs/0/payment-file");
                case LINE_PAID ->
                        r.contentType("application/json")
                                .body("{\"reference\":\"x\"}")
                                .post("/payout-runs/0/lines/0/paid");
                case LINE_FAILED ->
                        r.contentType("application/json")
                                .body("{}")
                                .post("/payout-runs/0/lines/0/failed");
                case REMITTANCE_OWN -> r.get("/remittances/0/" + MAKER_ID + ".pdf");
                case REMITTANCE_OTHER -> r.get("/remittances/0/someone-else-" + S + ".pdf");
                // pools: a body without a period, so a call past the role and tenant checks ends
                // at 422 and declares nothing; the platform of the body is the tenant asked for
                case DECLARE_POOL -> r.contentType("application/json").body("{}").post("/pools");
                case DECLARE_POOL_OTHER ->
                        r.contentType("application/json")
                                .body("{\"platformId\":\"someone-else-" + S + "\"}")
                                .post("/pools");
                case POOLS -> r.get("/pools");
            };
        }
    }

    static Stream<Arguments> matrix() {
        return Stream.of(
                // GET /periods: every role
                row(Endpoint.PERIODS, Who.NOBODY, Scope.NONE, 401, "UNAUTHORIZED"),
                row(Endpoint.PERIODS, Who.FINANCE, Scope.NONE, 200, null),
                row(Endpoint.PERIODS, Who.MAKER, Scope.NONE, 200, null),
                row(Endpoint.PERIODS, Who.PLATFORM, Scope.NONE, 200, null),
                row(Endpoint.PERIODS, Who.ADMIN, Scope.NONE, 200, null),
                // POST /periods/{p}/close: FINANCE only (not called with FINANCE here)
                row(Endpoint.CLOSE, Who.NOBODY, Scope.NONE, 401, "UNAUTHORIZED"),
                row(Endpoint.CLOSE, Who.MAKER, Scope.NONE, 403, "FORBIDDEN"),
                row(Endpoint.CLOSE, Who.PLATFORM, Scope.NONE, 403, "FORBIDDEN"),
                row(Endpoint.CLOSE, Who.ADMIN, Scope.NONE, 403, "FORBIDDEN"),
                // GET /statements/{p}: FINANCE; MAKER and PLATFORM narrowed to their own
                row(Endpoint.STATEMENT, Who.NOBODY, Scope.NONE, 401, "UNAUTHORIZED"),
                row(Endpoint.STATEMENT, Who.ADMIN, Scope.NONE, 403, "FORBIDDEN"),
                row(Endpoint.STATEMENT, Who.FINANCE, Scope.NONE, 200, null),
                row(Endpoint.STATEMENT, Who.MAKER, Scope.NONE, 200, null),
                row(Endpoint.STATEMENT, Who.MAKER, Scope.OWN, 200, null),
                row(Endpoint.STATEMENT, Who.MAKER, Scope.OTHER, 403, "FORBIDDEN"),
                row(Endpoint.STATEMENT, Who.PLATFORM, Scope.NONE, 200, null),
                row(Endpoint.STATEMENT, Who.PLATFORM, Scope.OWN, 200, null),
                row(Endpoint.STATEMENT, Who.PLATFORM, Scope.OTHER, 403, "FORBIDDEN"),
                // GET /payouts/{p}: FINANCE, MAKER (own)
                row(Endpoint.PAYOUTS, Who.NOBODY, Scope.NONE, 401, "UNAUTHORIZED"),
                row(Endpoint.PAYOUTS, Who.PLATFORM, Scope.NONE, 403, "FORBIDDEN"),
                row(Endpoint.PAYOUTS, Who.ADMIN, Scope.NONE, 403, "FORBIDDEN"),
                row(Endpoint.PAYOUTS, Who.FINANCE, Scope.NONE, 200, null),
                row(Endpoint.PAYOUTS, Who.MAKER, Scope.NONE, 200, null),
                row(Endpoint.PAYOUTS, Who.MAKER, Scope.OWN, 200, null),
                row(Endpoint.PAYOUTS, Who.MAKER, Scope.OTHER, 403, "FORBIDDEN"),
                // GET /invoices/{p}: FINANCE, PLATFORM (own)
                row(Endpoint.INVOICES, Who.NOBODY, Scope.NONE, 401, "UNAUTHORIZED"),
                row(Endpoint.INVOICES, Who.MAKER, Scope.NONE, 403, "FORBIDDEN"),
                row(Endpoint.INVOICES, Who.ADMIN, Scope.NONE, 403, "FORBIDDEN"),
                row(Endpoint.INVOICES, Who.FINANCE, Scope.NONE, 200, null),
                row(Endpoint.INVOICES, Who.PLATFORM, Scope.NONE, 200, null),
                row(Endpoint.INVOICES, Who.PLATFORM, Scope.OWN, 200, null),
                row(Endpoint.INVOICES, Who.PLATFORM, Scope.OTHER, 403, "FORBIDDEN"),
                // GET /accruals: FINANCE, MAKER (own)
                row(Endpoint.ACCRUALS, Who.NOBODY, Scope.NONE, 401, "UNAUTHORIZED"),
                row(Endpoint.ACCRUALS, Who.PLATFORM, Scope.NONE, 403, "FORBIDDEN"),
                row(Endpoint.ACCRUALS, Who.ADMIN, Scope.NONE, 403, "FORBIDDEN"),
                row(Endpoint.ACCRUALS, Who.FINANCE, Scope.NONE, 200, null),
                row(Endpoint.ACCRUALS, Who.MAKER, Scope.NONE, 200, null),
                row(Endpoint.ACCRUALS, Who.MAKER, Scope.OTHER, 403, "FORBIDDEN"),
                // GET /ledger/{p}, /ledger/balances, /reports/{p}/settlement.csv: FINANCE only
                row(Endpoint.LEDGER, Who.NOBODY, Scope.NONE, 401, "UNAUTHORIZED"),
                row(Endpoint.LEDGER, Who.MAKER, Scope.NONE, 403, "FORBIDDEN"),
                row(Endpoint.LEDGER, Who.PLATFORM, Scope.NONE, 403, "FORBIDDEN"),
                row(Endpoint.LEDGER, Who.ADMIN, Scope.NONE, 403, "FORBIDDEN"),
                row(Endpoint.LEDGER, Who.FINANCE, Scope.NONE, 200, null),
                row(Endpoint.BALANCES, Who.NOBODY, Scope.NONE, 401, "UNAUTHORIZED"),
                row(Endpoint.BALANCES, Who.MAKER, Scope.NONE, 403, "FORBIDDEN"),
                row(Endpoint.BALANCES, Who.PLATFORM, Scope.NONE, 403, "FORBIDDEN"),
                row(Endpoint.BALANCES, Who.ADMIN, Scope.NONE, 403, "FORBIDDEN"),
                row(Endpoint.BALANCES, Who.FINANCE, Scope.NONE, 200, null),
                row(Endpoint.CSV, Who.NOBODY, Scope.NONE, 401, "UNAUTHORIZED"),
                row(Endpoint.CSV, Who.MAKER, Scope.NONE, 403, "FORBIDDEN"),
                row(Endpoint.CSV, Who.PLATFORM, Scope.NONE, 403, "FORBIDDEN"),
                row(Endpoint.CSV, Who.ADMIN, Scope.NONE, 403, "FORBIDDEN"),
                row(Endpoint.CSV, Who.FINANCE, Scope.NONE, 200, null),
                // GET /unlicensed-usage, /compliance/findings: FINANCE, MAKER (own)
                row(Endpoint.UNLICENSED, Who.NOBODY, Scope.NONE, 401, "UNAUTHORIZED"),
                row(Endpoint.UNLICENSED, Who.PLATFORM, Scope.NONE, 403, "FORBIDDEN"),
                row(Endpoint.UNLICENSED, Who.ADMIN, Scope.NONE, 403, "FORBIDDEN"),
                row(Endpoint.UNLICENSED, Who.FINANCE, Scope.NONE, 200, null),
                row(Endpoint.UNLICENSED, Who.MAKER, Scope.NONE, 200, null),
                row(Endpoint.UNLICENSED, Who.MAKER, Scope.OTHER, 403, "FORBIDDEN"),
                row(Endpoint.FINDINGS, Who.NOBODY, Scope.NONE, 401, "UNAUTHORIZED"),
                row(Endpoint.FINDINGS, Who.PLATFORM, Scope.NONE, 403, "FORBIDDEN"),
                row(Endpoint.FINDINGS, Who.ADMIN, Scope.NONE, 403, "FORBIDDEN"),
                row(Endpoint.FINDINGS, Who.FINANCE, Scope.NONE, 200, null),
                row(Endpoint.FINDINGS, Who.MAKER, Scope.NONE, 200, null),
                row(Endpoint.FINDINGS, Who.MAKER, Scope.OTHER, 403, "FORBIDDEN"),
                // GET /currency-mismatches: FINANCE; MAKER and PLATFORM narrowed to their own
                row(Endpoint.CURRENCY_MISMATCHES, Who.NOBODY, Scope.NONE, 401, "UNAUTHORIZED"),
                row(Endpoint.CURRENCY_MISMATCHES, Who.ADMIN, Scope.NONE, 403, "FORBIDDEN"),
                row(Endpoint.CURRENCY_MISMATCHES, Who.FINANCE, Scope.NONE, 200, null),
                row(Endpoint.CURRENCY_MISMATCHES, Who.MAKER, Scope.NONE, 200, null),
                row(Endpoint.CURRENCY_MISMATCHES, Who.MAKER, Scope.OWN, 200, null),
                row(Endpoint.CURRENCY_MISMATCHES, Who.MAKER, Scope.OTHER, 403, "FORBIDDEN"),
                row(Endpoint.CURRENCY_MISMATCHES, Who.PLATFORM, Scope.NONE, 200, null),
                row(Endpoint.CURRENCY_MISMATCHES, Who.PLATFORM, Scope.OWN, 200, null),
                row(Endpoint.CURRENCY_MISMATCHES, Who.PLATFORM, Scope.OTHER, 403, "FORBIDDEN"),
                // payouts (DESIGN.md "Payouts"): profiles for the maker itself and FINANCE; FX
                // rates and a run's changes for FINANCE; runs read by FINANCE and (its own lines)
                // a MAKER
                row(Endpoint.PROFILE_OWN, Who.NOBODY, Scope.NONE, 401, "UNAUTHORIZED"),
                row(Endpoint.PROFILE_OWN, Who.PLATFORM, Scope.NONE, 403, "FORBIDDEN"),
                row(Endpoint.PROFILE_OWN, Who.ADMIN, Scope.NONE, 403, "FORBIDDEN"),
                row(Endpoint.PROFILE_OWN, Who.FINANCE, Scope.NONE, 404, "NOT_FOUND"),
                row(Endpoint.PROFILE_OWN, Who.MAKER, Scope.NONE, 404, "NOT_FOUND"),
                row(Endpoint.PROFILE_OTHER, Who.NOBODY, Scope.NONE, 401, "UNAUTHORIZED"),
                row(Endpoint.PROFILE_OTHER, Who.PLATFORM, Scope.NONE, 403, "FORBIDDEN"),
                row(Endpoint.PROFILE_OTHER, Who.ADMIN, Scope.NONE, 403, "FORBIDDEN"),
                row(Endpoint.PROFILE_OTHER, Who.FINANCE, Scope.NONE, 404, "NOT_FOUND"),
                row(Endpoint.PROFILE_OTHER, Who.MAKER, Scope.NONE, 403, "FORBIDDEN"),
                row(Endpoint.PUT_PROFILE_OWN, Who.NOBODY, Scope.NONE, 401, "UNAUTHORIZED"),
                row(Endpoint.PUT_PROFILE_OWN, Who.PLATFORM, Scope.NONE, 403, "FORBIDDEN"),
                row(Endpoint.PUT_PROFILE_OWN, Who.ADMIN, Scope.NONE, 403, "FORBIDDEN"),
                row(Endpoint.PUT_PROFILE_OWN, Who.FINANCE, Scope.NONE, 422, "VALIDATION_FAILED"),
                row(Endpoint.PUT_PROFILE_OWN, Who.MAKER, Scope.NONE, 422, "VALIDATION_FAILED"),
                row(Endpoint.PUT_PROFILE_OTHER, Who.NOBODY, Scope.NONE, 401, "UNAUTHORIZED"),
                row(Endpoint.PUT_PROFILE_OTHER, Who.PLATFORM, Scope.NONE, 403, "FORBIDDEN"),
                row(Endpoint.PUT_PROFILE_OTHER, Who.ADMIN, Scope.NONE, 403, "FORBIDDEN"),
                row(Endpoint.PUT_PROFILE_OTHER, Who.FINANCE, Scope.NONE, 422, "VALIDATION_FAILED"),
                row(Endpoint.PUT_PROFILE_OTHER, Who.MAKER, Scope.NONE, 403, "FORBIDDEN"),
                row(Endpoint.RECORD_RATE, Who.NOBODY, Scope.NONE, 401, "UNAUTHORIZED"),
                row(Endpoint.RECORD_RATE, Who.MAKER, Scope.NONE, 403, "FORBIDDEN"),
                row(Endpoint.RECORD_RATE, Who.PLATFORM, Scope.NONE, 403, "FORBIDDEN"),
                row(Endpoint.RECORD_RATE, Who.ADMIN, Scope.NONE, 403, "FORBIDDEN"),
                row(Endpoint.RECORD_RATE, Who.FINANCE, Scope.NONE, 422, "VALIDATION_FAILED"),
                row(Endpoint.RATES, Who.NOBODY, Scope.NONE, 401, "UNAUTHORIZED"),
                row(Endpoint.RATES, Who.MAKER, Scope.NONE, 403, "FORBIDDEN"),
                row(Endpoint.RATES, Who.PLATFORM, Scope.NONE, 403, "FORBIDDEN"),
                row(Endpoint.RATES, Who.ADMIN, Scope.NONE, 403, "FORBIDDEN"),
                row(Endpoint.RATES, Who.FINANCE, Scope.NONE, 200, null),
                row(Endpoint.CREATE_RUN, Who.NOBODY, Scope.NONE, 401, "UNAUTHORIZED"),
                row(Endpoint.CREATE_RUN, Who.MAKER, Scope.NONE, 403, "FORBIDDEN"),
                row(Endpoint.CREATE_RUN, Who.PLATFORM, Scope.NONE, 403, "FORBIDDEN"),
                row(Endpoint.CREATE_RUN, Who.ADMIN, Scope.NONE, 403, "FORBIDDEN"),
                row(Endpoint.CREATE_RUN, Who.FINANCE, Scope.NONE, 422, "VALIDATION_FAILED"),
                row(Endpoint.RUNS, Who.NOBODY, Scope.NONE, 401, "UNAUTHORIZED"),
                row(Endpoint.RUNS, Who.PLATFORM, Scope.NONE, 403, "FORBIDDEN"),
                row(Endpoint.RUNS, Who.ADMIN, Scope.NONE, 403, "FORBIDDEN"),
                row(Endpoint.RUNS, Who.FINANCE, Scope.NONE, 200, null),
                row(Endpoint.RUNS, Who.MAKER, Scope.NONE, 200, null),
                row(Endpoint.RUN, Who.NOBODY, Scope.NONE, 401, "UNAUTHORIZED"),
                row(Endpoint.RUN, Who.PLATFORM, Scope.NONE, 403, "FORBIDDEN"),
                row(Endpoint.RUN, Who.ADMIN, Scope.NONE, 403, "FORBIDDEN"),
                row(Endpoint.RUN, Who.FINANCE, Scope.NONE, 404, "NOT_FOUND"),
                row(Endpoint.RUN, Who.MAKER, Scope.NONE, 404, "NOT_FOUND"),
                row(Endpoint.APPROVE_RUN, Who.NOBODY, Scope.NONE, 401, "UNAUTHORIZED"),
                row(Endpoint.APPROVE_RUN, Who.MAKER, Scope.NONE, 403, "FORBIDDEN"),
                row(Endpoint.APPROVE_RUN, Who.PLATFORM, Scope.NONE, 403, "FORBIDDEN"),
                row(Endpoint.APPROVE_RUN, Who.ADMIN, Scope.NONE, 403, "FORBIDDEN"),
                row(Endpoint.APPROVE_RUN, Who.FINANCE, Scope.NONE, 404, "NOT_FOUND"),
                row(Endpoint.CANCEL_RUN, Who.NOBODY, Scope.NONE, 401, "UNAUTHORIZED"),
                row(Endpoint.CANCEL_RUN, Who.MAKER, Scope.NONE, 403, "FORBIDDEN"),
                row(Endpoint.CANCEL_RUN, Who.PLATFORM, Scope.NONE, 403, "FORBIDDEN"),
                row(Endpoint.CANCEL_RUN, Who.ADMIN, Scope.NONE, 403, "FORBIDDEN"),
                row(Endpoint.CANCEL_RUN, Who.FINANCE, Scope.NONE, 404, "NOT_FOUND"),
                row(Endpoint.PAYMENT_FILE, Who.NOBODY, Scope.NONE, 401, "UNAUTHORIZED"),
                row(Endpoint.PAYMENT_FILE, Who.MAKER, Scope.NONE, 403, "FORBIDDEN"),
                row(Endpoint.PAYMENT_FILE, Who.PLATFORM, Scope.NONE, 403, "FORBIDDEN"),
                row(Endpoint.PAYMENT_FILE, Who.ADMIN, Scope.NONE, 403, "FORBIDDEN"),
                row(Endpoint.PAYMENT_FILE, Who.FINANCE, Scope.NONE, 404, "NOT_FOUND"),
                row(Endpoint.LINE_PAID, Who.NOBODY, Scope.NONE, 401, "UNAUTHORIZED"),
                row(Endpoint.LINE_PAID, Who.MAKER, Scope.NONE, 403, "FORBIDDEN"),
                row(Endpoint.LINE_PAID, Who.PLATFORM, Scope.NONE, 403, "FORBIDDEN"),
                row(Endpoint.LINE_PAID, Who.ADMIN, Scope.NONE, 403, "FORBIDDEN"),
                row(Endpoint.LINE_PAID, Who.FINANCE, Scope.NONE, 404, "NOT_FOUND"),
                row(Endpoint.LINE_FAILED, Who.NOBODY, Scope.NONE, 401, "UNAUTHORIZED"),
                row(Endpoint.LINE_FAILED, Who.MAKER, Scope.NONE, 403, "FORBIDDEN"),
                row(Endpoint.LINE_FAILED, Who.PLATFORM, Scope.NONE, 403, "FORBIDDEN"),
                row(Endpoint.LINE_FAILED, Who.ADMIN, Scope.NONE, 403, "FORBIDDEN"),
                row(Endpoint.LINE_FAILED, Who.FINANCE, Scope.NONE, 404, "NOT_FOUND"),
                row(Endpoint.REMITTANCE_OWN, Who.NOBODY, Scope.NONE, 401, "UNAUTHORIZED"),
                row(Endpoint.REMITTANCE_OWN, Who.PLATFORM, Scope.NONE, 403, "FORBIDDEN"),
                row(Endpoint.REMITTANCE_OWN, Who.ADMIN, Scope.NONE, 403, "FORBIDDEN"),
                row(Endpoint.REMITTANCE_OWN, Who.FINANCE, Scope.NONE, 404, "NOT_FOUND"),
                row(Endpoint.REMITTANCE_OWN, Who.MAKER, Scope.NONE, 404, "NOT_FOUND"),
                row(Endpoint.REMITTANCE_OTHER, Who.NOBODY, Scope.NONE, 401, "UNAUTHORIZED"),
                row(Endpoint.REMITTANCE_OTHER, Who.PLATFORM, Scope.NONE, 403, "FORBIDDEN"),
                row(Endpoint.REMITTANCE_OTHER, Who.ADMIN, Scope.NONE, 403, "FORBIDDEN"),
                row(Endpoint.REMITTANCE_OTHER, Who.FINANCE, Scope.NONE, 404, "NOT_FOUND"),
                row(Endpoint.REMITTANCE_OTHER, Who.MAKER, Scope.NONE, 403, "FORBIDDEN"),
                // POST /pools: a PLATFORM for itself (its own when the body names none), ADMIN
                row(Endpoint.DECLARE_POOL, Who.NOBODY, Scope.NONE, 401, "UNAUTHORIZED"),
                row(Endpoint.DECLARE_POOL, Who.MAKER, Scope.NONE, 403, "FORBIDDEN"),
                row(Endpoint.DECLARE_POOL, Who.FINANCE, Scope.NONE, 403, "FORBIDDEN"),
                row(Endpoint.DECLARE_POOL, Who.PLATFORM, Scope.NONE, 422, "VALIDATION_FAILED"),
                row(Endpoint.DECLARE_POOL, Who.ADMIN, Scope.NONE, 422, "VALIDATION_FAILED"),
                row(Endpoint.DECLARE_POOL_OTHER, Who.NOBODY, Scope.NONE, 401, "UNAUTHORIZED"),
                row(Endpoint.DECLARE_POOL_OTHER, Who.MAKER, Scope.NONE, 403, "FORBIDDEN"),
                row(Endpoint.DECLARE_POOL_OTHER, Who.FINANCE, Scope.NONE, 403, "FORBIDDEN"),
                row(Endpoint.DECLARE_POOL_OTHER, Who.PLATFORM, Scope.NONE, 403, "FORBIDDEN"),
                row(Endpoint.DECLARE_POOL_OTHER, Who.ADMIN, Scope.NONE, 422, "VALIDATION_FAILED"),
                // GET /pools: FINANCE and ADMIN all, a PLATFORM its own, never a MAKER
                row(Endpoint.POOLS, Who.NOBODY, Scope.NONE, 401, "UNAUTHORIZED"),
                row(Endpoint.POOLS, Who.MAKER, Scope.NONE, 403, "FORBIDDEN"),
                row(Endpoint.POOLS, Who.MAKER, Scope.OWN, 403, "FORBIDDEN"),
                row(Endpoint.POOLS, Who.FINANCE, Scope.NONE, 200, null),
                row(Endpoint.POOLS, Who.ADMIN, Scope.NONE, 200, null),
                row(Endpoint.POOLS, Who.PLATFORM, Scope.NONE, 200, null),
                row(Endpoint.POOLS, Who.PLATFORM, Scope.OWN, 200, null),
                row(Endpoint.POOLS, Who.PLATFORM, Scope.OTHER, 403, "FORBIDDEN"));
    }

    private static Arguments row(Endpoint endpoint, Who who, Scope scope, int status, String code) {
        return Arguments.of(endpoint, who, scope, status, code);
    }

    @ParameterizedTest(name = "{0} as {1} asking for {2} -> {3} {4}")
    @MethodSource("matrix")
    void rolesAndTenants(Endpoint endpoint, Who who, Scope scope, int status, String code) {
        awaitRegistryReplica();
        expect(endpoint.call(request(who, scope)).then(), status, code);
    }

    private static boolean replicaCaughtUp;

    /**
     * Until its registry replica has caught up (just after start) the service answers statement
     * reads with 503 STARTING: wait for that once, so that every row sees the steady state.
     */
    static synchronized void awaitRegistryReplica() {
        if (!replicaCaughtUp) {
            await().atMost(Duration.ofSeconds(60))
                    .untilAsserted(
                            () ->
                                    given().auth()
                                            .oauth2(Tokens.finance())
                                            .get("/payouts/" + READ_PERIOD)
                                            .then()
                                            .statusCode(200));
            replicaCaughtUp = true;
        }
    }

    /** A request as {@code who}, asking for its own tenant, another one, or none. */
    static RequestSpecification request(Who who, Scope scope) {
        String token =
                switch (who) {
                    case NOBODY -> null;
                    case FINANCE -> Tokens.finance();
                    case MAKER -> Tokens.maker(MAKER_ID);
                    case PLATFORM -> Tokens.platform(PLATFORM_ID);
                    case ADMIN -> Tokens.admin();
                };
        RequestSpecification r = token == null ? given() : given().auth().oauth2(token);
        if (scope == Scope.NONE) {
            return r;
        }
        String param =
                switch (who) {
                    case MAKER -> "makerId";
                    case PLATFORM -> "platformId";
                    default ->
                            throw new IllegalArgumentException(who + " has no tenant to ask for");
                };
        String own = who == Who.MAKER ? MAKER_ID : PLATFORM_ID;
        return r.queryParam(param, scope == Scope.OWN ? own : "someone-else-" + S);
    }

    // ---------------------------------------------------------------- the data check

    @Test
    void makersAndPlatformsSeeOnlyTheirOwnNumbers() {
        String s = UUID.randomUUID().toString().substring(0, 6);
        String maker = "authz-m1-" + s;
        String otherMaker = "authz-m2-" + s;
        String platform = "authz-p1-" + s;
        String otherPlatform = "authz-p2-" + s;
        String model = "authz-md-" + s;
        RegistryRecords.maker(maker, "M1");
        RegistryRecords.maker(otherMaker, "M2");
        RegistryRecords.platform(platform, "P1");
        RegistryRecords.platform(otherPlatform, "P2");
        RegistryRecords.model(model, maker, "M", "mit", true, null, null);
        RegistryRecords.agreement(
                "authz-ag-" + s,
                maker,
                platform,
                null,
                "2025-01-01",
                null,
                RegistryRecords.REVENUE_SHARE_20);
        send(
                "usage.attributed",
                model,
                delta(
                        UUID.randomUUID() + "/" + model,
                        model,
                        platform,
                        DATA_PERIOD + "-10",
                        "100.00"));
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () ->
                                assertThat(amount(read(Tokens.finance(), "/payouts/"), maker))
                                        .isEqualTo("20.00"));

        // the maker sees its own payout, and only that
        JsonPath own = read(Tokens.maker(maker), "/payouts/");
        assertThat(own.getList("items.makerId")).containsExactly(maker);
        assertThat(amount(own, maker)).isEqualTo("20.00");
        assertThat(own.getInt("total")).isEqualTo(1);
        JsonPath ownLines = read(Tokens.maker(maker), "/statements/");
        assertThat(ownLines.getList("items")).isNotEmpty();
        assertThat(ownLines.getList("items.makerId")).containsOnly(maker);

        // another maker sees nothing of it, and may not ask for it
        JsonPath other = read(Tokens.maker(otherMaker), "/payouts/");
        assertThat(other.getList("items")).isEmpty();
        assertThat(other.getInt("total")).isEqualTo(0);
        assertThat(read(Tokens.maker(otherMaker), "/statements/").getList("items")).isEmpty();
        expect(
                given().auth()
                        .oauth2(Tokens.maker(otherMaker))
                        .queryParam("makerId", maker)
                        .get("/payouts/" + DATA_PERIOD)
                        .then(),
                403,
                "FORBIDDEN");

        // the platform sees its own invoice; another platform sees none of it
        JsonPath invoice = read(Tokens.platform(platform), "/invoices/");
        assertThat(invoice.getList("items.platformId")).containsExactly(platform);
        assertThat(invoice.getString("items[0].amount")).isEqualTo("20.00");
        JsonPath notTheirs = read(Tokens.platform(otherPlatform), "/invoices/");
        assertThat(notTheirs.getList("items.platformId")).doesNotContain(platform);
        assertThat(notTheirs.getList("items")).isEmpty();
        assertThat(read(Tokens.platform(otherPlatform), "/statements/").getList("items")).isEmpty();
        expect(
                given().auth()
                        .oauth2(Tokens.platform(otherPlatform))
                        .queryParam("platformId", platform)
                        .get("/invoices/" + DATA_PERIOD)
                        .then(),
                403,
                "FORBIDDEN");
    }

    @Test
    void aTenantRoleWithoutItsTenantClaimIsRefused() {
        String noMaker = Tokens.token("no-maker", "MAKER", null, null, Duration.ofHours(1));
        String noPlatform =
                Tokens.token("no-platform", "PLATFORM", null, null, Duration.ofHours(1));
        for (String path : List.of("/payouts/2026-01", "/accruals", "/unlicensed-usage")) {
            expect(given().auth().oauth2(noMaker).get(path).then(), 403, "FORBIDDEN");
        }
        expect(given().auth().oauth2(noPlatform).get("/invoices/2026-01").then(), 403, "FORBIDDEN");
        expect(
                given().auth().oauth2(noPlatform).get("/statements/2026-01").then(),
                403,
                "FORBIDDEN");
    }

    // ---------------------------------------------------------------- bad tokens

    @Test
    void tamperedExpiredAndStrangerTokensAre401() {
        awaitRegistryReplica();
        // the control: the same read with a good token passes
        given().auth().oauth2(Tokens.finance()).get("/periods").then().statusCode(200);

        for (String token : Tokens.invalid("FINANCE")) {
            expect(
                    given().header("Authorization", "Bearer " + token).get("/periods").then(),
                    401,
                    "UNAUTHORIZED");
        }
    }

    // ---------------------------------------------------------------- helpers

    /**
     * Asserts the status and, for an error, that it is problem+json with {@code code}; a 401 also
     * challenges with WWW-Authenticate: Bearer.
     */
    static ValidatableResponse expect(ValidatableResponse r, int status, String code) {
        r.statusCode(status);
        if (code != null) {
            r.contentType(PROBLEM_JSON).body("code", equalTo(code));
        }
        if (status == 401) {
            r.header("WWW-Authenticate", "Bearer");
        }
        return r;
    }

    /** GET {@code prefix + DATA_PERIOD} with the token: 200, as JSON. */
    static JsonPath read(String token, String prefix) {
        return given().auth()
                .oauth2(token)
                .get(prefix + DATA_PERIOD)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }
}
