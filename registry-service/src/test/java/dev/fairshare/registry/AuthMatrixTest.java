package dev.fairshare.registry;

import static dev.fairshare.registry.RegistryTestSupport.uid;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fairshare.localstack.FairshareTestResource;
import dev.fairshare.localstack.Infrastructure;
import dev.fairshare.localstack.Tokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Who may call which registry endpoint (roles and tenants), the token endpoint, accounts and
 * platform API keys.
 */
@QuarkusTest
@QuarkusTestResource(
        value = FairshareTestResource.class,
        initArgs = @ResourceArg(name = "database", value = "registry"))
class AuthMatrixTest {
    @TestHTTPResource(value = "/", management = true)
    java.net.URL managementPort;

    @Test
    void healthMetricsAndOpenApiAreOnTheManagementPortOnly() {
        dev.fairshare.localstack.ManagementPaths.assertInPlace(
                io.restassured.RestAssured.port, managementPort);
    }

    static final String PROBLEM_JSON = "application/problem+json";
    static final String PASSWORD = "correct horse battery staple";
    static final ObjectMapper JSON = new ObjectMapper();

    @Inject AgroalDataSource dataSource;

    // ---------------------------------------------------------------- the shared world

    /** Two makers, two platforms, a model of the first maker and its agreement with platform 1. */
    record World(
            String maker,
            String otherMaker,
            String platform,
            String otherPlatform,
            String model,
            String agreement,
            String namespace) {}

    private static World world;

    static synchronized World world() {
        if (world == null) {
            String maker = RegistryTestSupport.maker();
            String otherMaker = RegistryTestSupport.maker();
            String platform = RegistryTestSupport.platform();
            String otherPlatform = RegistryTestSupport.platform();
            String model = RegistryTestSupport.model(maker, "[]");
            String agreement = uid("ag");
            RegistryTestSupport.post("/agreements", agreementJson(agreement, maker, platform))
                    .statusCode(201);
            String namespace = RegistryTestSupport.namespace(maker);
            world =
                    new World(
                            maker,
                            otherMaker,
                            platform,
                            otherPlatform,
                            model,
                            agreement,
                            namespace);
        }
        return world;
    }

    /** The caller of a request: no token, or a role acting for the world's makers and platforms. */
    enum Who {
        NOBODY,
        ADMIN,
        FINANCE,
        MAKER,
        OTHER_MAKER,
        PLATFORM,
        OTHER_PLATFORM;

        RequestSpecification request(World w) {
            RequestSpecification r = given().contentType(ContentType.JSON);
            String token =
                    switch (this) {
                        case NOBODY -> null;
                        case ADMIN -> Tokens.admin();
                        case FINANCE -> Tokens.finance();
                        case MAKER -> Tokens.maker(w.maker());
                        case OTHER_MAKER -> Tokens.maker(w.otherMaker());
                        case PLATFORM -> Tokens.platform(w.platform());
                        case OTHER_PLATFORM -> Tokens.platform(w.otherPlatform());
                    };
            return token == null ? r : r.auth().oauth2(token);
        }
    }

    /**
     * The endpoints of the matrix, each with a valid request (new ids every call, so that a
     * successful call never collides with an earlier one). "Own" tenant = the world's first maker
     * and first platform.
     */
    enum Endpoint {
        POST_MAKERS,
        GET_MAKERS,
        POST_PLATFORMS,
        POST_MODELS,
        POST_ALIASES,
        POST_PLATFORM_ALIASES,
        POST_NAMESPACES,
        GET_NAMESPACES,
        GET_PROPOSALS,
        GET_PROPOSAL,
        POST_ACCEPT,
        POST_REJECT,
        GET_AUDIT,
        GET_AGREEMENTS_OF_MAKER,
        GET_AGREEMENT,
        POST_AGREEMENTS,
        POST_ACCOUNTS,
        POST_API_KEYS,
        POST_KAFKA_CREDENTIALS,
        DELETE_KAFKA_CREDENTIALS,
        POST_REATTRIBUTE,
        POST_PASSWORD,
        POST_DISABLE,
        POST_ENABLE;

        Response call(RequestSpecification r, World w) {
            return switch (this) {
                case POST_MAKERS -> r.body(named(uid("mk"))).post("/makers");
                case GET_MAKERS -> r.get("/makers");
                case POST_PLATFORMS -> r.body(named(uid("pf"))).post("/platforms");
                case POST_MODELS -> r.body(modelJson(uid("md"), w.maker())).post("/models");
                // a ref in the maker's namespace: the maker's own to name globally
                case POST_ALIASES ->
                        r.body(
                                        "{\"ref\":\""
                                                + w.namespace()
                                                + uid("alias")
                                                + "\",\"validFrom\":\"2026-01-01T00:00:00Z\"}")
                                .post("/models/" + w.model() + "/aliases");
                case POST_PLATFORM_ALIASES ->
                        r.body(
                                        "{\"ref\":\""
                                                + uid("alias")
                                                + "\",\"platformId\":\""
                                                + w.platform()
                                                + "\"}")
                                .post("/models/" + w.model() + "/aliases");
                case POST_NAMESPACES ->
                        r.body("{\"prefix\":\"" + uid("ns") + "/\"}")
                                .post("/makers/" + w.maker() + "/namespaces");
                case GET_NAMESPACES -> r.get("/makers/" + w.maker() + "/namespaces");
                case GET_PROPOSALS ->
                        r.queryParam("platformId", w.platform()).get("/alias-proposals");
                case GET_PROPOSAL -> r.get("/alias-proposals/" + proposal(w));
                case POST_ACCEPT ->
                        r.body("{}").post("/alias-proposals/" + proposal(w) + "/accept");
                case POST_REJECT ->
                        r.body("{}").post("/alias-proposals/" + proposal(w) + "/reject");
                case GET_AUDIT -> r.get("/audit");
                case GET_AGREEMENTS_OF_MAKER ->
                        r.queryParam("makerId", w.maker()).get("/agreements");
                case GET_AGREEMENT -> r.get("/agreements/" + w.agreement());
                // a fresh maker and platform: no overlap with any earlier agreement
                case POST_AGREEMENTS ->
                        r.body(
                                        agreementJson(
                                                uid("ag"),
                                                RegistryTestSupport.maker(),
                                                RegistryTestSupport.platform()))
                                .post("/agreements");
                case POST_ACCOUNTS ->
                        r.body(accountJson(uid("acct"), PASSWORD, "FINANCE", null))
                                .post("/accounts");
                case POST_API_KEYS -> r.post("/platforms/" + w.platform() + "/api-keys");
                case POST_KAFKA_CREDENTIALS ->
                        r.post("/platforms/" + w.platform() + "/kafka-credentials");
                // a fresh platform: the world's keeps its credential
                case DELETE_KAFKA_CREDENTIALS ->
                        r.delete(
                                "/platforms/"
                                        + RegistryTestSupport.platform()
                                        + "/kafka-credentials");
                case POST_REATTRIBUTE ->
                        r.body(
                                        "{\"ref\":\""
                                                + uid("ref")
                                                + "\",\"platformId\":\""
                                                + w.platform()
                                                + "\",\"toModelId\":\""
                                                + w.model()
                                                + "\",\"from\":\"2026-01-01T00:00:00Z\",\"reason\":\"matrix\"}")
                                .post("/aliases/reattribute");
                // an account of its own (the subject of Tokens.finance()) is "own"; ADMIN sets any
                case POST_PASSWORD ->
                        r.body("{\"newPassword\":\"" + PASSWORD + " renewed\"}")
                                .post("/accounts/" + financeAccount() + "/password");
                case POST_DISABLE -> r.post("/accounts/" + financeAccount() + "/disable");
                case POST_ENABLE -> r.post("/accounts/" + financeAccount() + "/enable");
            };
        }
    }

    /** A fresh FINANCE account (password {@link #PASSWORD}) nobody in the matrix acts as. */
    static String financeAccount() {
        String username = uid("acct");
        asAdmin()
                .body(accountJson(username, PASSWORD, "FINANCE", null))
                .post("/accounts")
                .then()
                .statusCode(201);
        return username;
    }

    /** A fresh proposal of the world's maker for a platform alias on the world's platform. */
    static long proposal(World w) {
        return RegistryTestSupport.post(
                        Tokens.maker(w.maker()),
                        "/models/" + w.model() + "/aliases",
                        "{\"ref\":\""
                                + uid("proposed")
                                + "\",\"platformId\":\""
                                + w.platform()
                                + "\"}")
                .statusCode(202)
                .extract()
                .jsonPath()
                .getLong("proposalId");
    }

    // ---------------------------------------------------------------- the matrix

    static Stream<Arguments> matrix() {
        return Stream.of(
                // POST /makers: ADMIN only
                row(Endpoint.POST_MAKERS, Who.NOBODY, 401, "UNAUTHORIZED"),
                row(Endpoint.POST_MAKERS, Who.FINANCE, 403, "FORBIDDEN"),
                row(Endpoint.POST_MAKERS, Who.MAKER, 403, "FORBIDDEN"),
                row(Endpoint.POST_MAKERS, Who.PLATFORM, 403, "FORBIDDEN"),
                row(Endpoint.POST_MAKERS, Who.ADMIN, 201, null),
                // GET /makers: every role
                row(Endpoint.GET_MAKERS, Who.NOBODY, 401, "UNAUTHORIZED"),
                row(Endpoint.GET_MAKERS, Who.ADMIN, 200, null),
                row(Endpoint.GET_MAKERS, Who.FINANCE, 200, null),
                row(Endpoint.GET_MAKERS, Who.MAKER, 200, null),
                row(Endpoint.GET_MAKERS, Who.PLATFORM, 200, null),
                // POST /platforms: ADMIN only
                row(Endpoint.POST_PLATFORMS, Who.NOBODY, 401, "UNAUTHORIZED"),
                row(Endpoint.POST_PLATFORMS, Who.FINANCE, 403, "FORBIDDEN"),
                row(Endpoint.POST_PLATFORMS, Who.MAKER, 403, "FORBIDDEN"),
                row(Endpoint.POST_PLATFORMS, Who.PLATFORM, 403, "FORBIDDEN"),
                row(Endpoint.POST_PLATFORMS, Who.ADMIN, 201, null),
                // POST /models: ADMIN, or the MAKER whose makerId the model names
                row(Endpoint.POST_MODELS, Who.NOBODY, 401, "UNAUTHORIZED"),
                row(Endpoint.POST_MODELS, Who.FINANCE, 403, "FORBIDDEN"),
                row(Endpoint.POST_MODELS, Who.PLATFORM, 403, "FORBIDDEN"),
                row(Endpoint.POST_MODELS, Who.OTHER_MAKER, 403, "FORBIDDEN"),
                row(Endpoint.POST_MODELS, Who.MAKER, 201, null),
                row(Endpoint.POST_MODELS, Who.ADMIN, 201, null),
                // a global alias: ADMIN, or the MAKER that owns the model (a ref in its namespace)
                row(Endpoint.POST_ALIASES, Who.NOBODY, 401, "UNAUTHORIZED"),
                row(Endpoint.POST_ALIASES, Who.FINANCE, 403, "FORBIDDEN"),
                row(Endpoint.POST_ALIASES, Who.PLATFORM, 403, "FORBIDDEN"),
                row(Endpoint.POST_ALIASES, Who.OTHER_MAKER, 403, "FORBIDDEN"),
                row(Endpoint.POST_ALIASES, Who.MAKER, 201, null),
                row(Endpoint.POST_ALIASES, Who.OTHER_PLATFORM, 403, "FORBIDDEN"),
                row(Endpoint.POST_ALIASES, Who.ADMIN, 201, null),
                // a platform alias: the platform for its own catalogue, ADMIN; a MAKER proposes it
                row(Endpoint.POST_PLATFORM_ALIASES, Who.NOBODY, 401, "UNAUTHORIZED"),
                row(Endpoint.POST_PLATFORM_ALIASES, Who.FINANCE, 403, "FORBIDDEN"),
                row(Endpoint.POST_PLATFORM_ALIASES, Who.OTHER_MAKER, 403, "FORBIDDEN"),
                row(Endpoint.POST_PLATFORM_ALIASES, Who.OTHER_PLATFORM, 403, "FORBIDDEN"),
                row(Endpoint.POST_PLATFORM_ALIASES, Who.MAKER, 202, null),
                row(Endpoint.POST_PLATFORM_ALIASES, Who.PLATFORM, 201, null),
                row(Endpoint.POST_PLATFORM_ALIASES, Who.ADMIN, 201, null),
                // POST /makers/{id}/namespaces: ADMIN only, not even the maker itself
                row(Endpoint.POST_NAMESPACES, Who.NOBODY, 401, "UNAUTHORIZED"),
                row(Endpoint.POST_NAMESPACES, Who.FINANCE, 403, "FORBIDDEN"),
                row(Endpoint.POST_NAMESPACES, Who.MAKER, 403, "FORBIDDEN"),
                row(Endpoint.POST_NAMESPACES, Who.OTHER_MAKER, 403, "FORBIDDEN"),
                row(Endpoint.POST_NAMESPACES, Who.PLATFORM, 403, "FORBIDDEN"),
                row(Endpoint.POST_NAMESPACES, Who.OTHER_PLATFORM, 403, "FORBIDDEN"),
                row(Endpoint.POST_NAMESPACES, Who.ADMIN, 201, null),
                // GET /makers/{id}/namespaces: that MAKER, ADMIN
                row(Endpoint.GET_NAMESPACES, Who.NOBODY, 401, "UNAUTHORIZED"),
                row(Endpoint.GET_NAMESPACES, Who.FINANCE, 403, "FORBIDDEN"),
                row(Endpoint.GET_NAMESPACES, Who.OTHER_MAKER, 403, "FORBIDDEN"),
                row(Endpoint.GET_NAMESPACES, Who.PLATFORM, 403, "FORBIDDEN"),
                row(Endpoint.GET_NAMESPACES, Who.OTHER_PLATFORM, 403, "FORBIDDEN"),
                row(Endpoint.GET_NAMESPACES, Who.MAKER, 200, null),
                row(Endpoint.GET_NAMESPACES, Who.ADMIN, 200, null),
                // GET /alias-proposals?platformId=: that PLATFORM, ADMIN, a MAKER (its own)
                row(Endpoint.GET_PROPOSALS, Who.NOBODY, 401, "UNAUTHORIZED"),
                row(Endpoint.GET_PROPOSALS, Who.FINANCE, 403, "FORBIDDEN"),
                row(Endpoint.GET_PROPOSALS, Who.OTHER_PLATFORM, 403, "FORBIDDEN"),
                row(Endpoint.GET_PROPOSALS, Who.PLATFORM, 200, null),
                row(Endpoint.GET_PROPOSALS, Who.MAKER, 200, null),
                row(Endpoint.GET_PROPOSALS, Who.OTHER_MAKER, 200, null),
                row(Endpoint.GET_PROPOSALS, Who.ADMIN, 200, null),
                // GET /alias-proposals/{id}: another party's proposal does not exist for the caller
                row(Endpoint.GET_PROPOSAL, Who.NOBODY, 401, "UNAUTHORIZED"),
                row(Endpoint.GET_PROPOSAL, Who.FINANCE, 403, "FORBIDDEN"),
                row(Endpoint.GET_PROPOSAL, Who.OTHER_MAKER, 404, "NOT_FOUND"),
                row(Endpoint.GET_PROPOSAL, Who.OTHER_PLATFORM, 404, "NOT_FOUND"),
                row(Endpoint.GET_PROPOSAL, Who.MAKER, 200, null),
                row(Endpoint.GET_PROPOSAL, Who.PLATFORM, 200, null),
                row(Endpoint.GET_PROPOSAL, Who.ADMIN, 200, null),
                // accept and reject: the proposal's PLATFORM, ADMIN; never a maker, not its own
                row(Endpoint.POST_ACCEPT, Who.NOBODY, 401, "UNAUTHORIZED"),
                row(Endpoint.POST_ACCEPT, Who.FINANCE, 403, "FORBIDDEN"),
                row(Endpoint.POST_ACCEPT, Who.MAKER, 403, "FORBIDDEN"),
                row(Endpoint.POST_ACCEPT, Who.OTHER_MAKER, 403, "FORBIDDEN"),
                row(Endpoint.POST_ACCEPT, Who.OTHER_PLATFORM, 404, "NOT_FOUND"),
                row(Endpoint.POST_ACCEPT, Who.PLATFORM, 200, null),
                row(Endpoint.POST_ACCEPT, Who.ADMIN, 200, null),
                row(Endpoint.POST_REJECT, Who.NOBODY, 401, "UNAUTHORIZED"),
                row(Endpoint.POST_REJECT, Who.FINANCE, 403, "FORBIDDEN"),
                row(Endpoint.POST_REJECT, Who.MAKER, 403, "FORBIDDEN"),
                row(Endpoint.POST_REJECT, Who.OTHER_MAKER, 403, "FORBIDDEN"),
                row(Endpoint.POST_REJECT, Who.OTHER_PLATFORM, 404, "NOT_FOUND"),
                row(Endpoint.POST_REJECT, Who.PLATFORM, 200, null),
                row(Endpoint.POST_REJECT, Who.ADMIN, 200, null),
                // GET /audit: every role (a MAKER or PLATFORM reads its own entries only)
                row(Endpoint.GET_AUDIT, Who.NOBODY, 401, "UNAUTHORIZED"),
                row(Endpoint.GET_AUDIT, Who.ADMIN, 200, null),
                row(Endpoint.GET_AUDIT, Who.FINANCE, 200, null),
                row(Endpoint.GET_AUDIT, Who.MAKER, 200, null),
                row(Endpoint.GET_AUDIT, Who.OTHER_MAKER, 200, null),
                row(Endpoint.GET_AUDIT, Who.PLATFORM, 200, null),
                row(Endpoint.GET_AUDIT, Who.OTHER_PLATFORM, 200, null),
                // GET /agreements?makerId=: a MAKER may ask for its own maker only
                row(Endpoint.GET_AGREEMENTS_OF_MAKER, Who.NOBODY, 401, "UNAUTHORIZED"),
                row(Endpoint.GET_AGREEMENTS_OF_MAKER, Who.OTHER_MAKER, 403, "FORBIDDEN"),
                row(Endpoint.GET_AGREEMENTS_OF_MAKER, Who.MAKER, 200, null),
                row(Endpoint.GET_AGREEMENTS_OF_MAKER, Who.FINANCE, 200, null),
                row(Endpoint.GET_AGREEMENTS_OF_MAKER, Who.ADMIN, 200, null),
                // GET /agreements/{id}: another party's agreement does not exist for the caller
                row(Endpoint.GET_AGREEMENT, Who.NOBODY, 401, "UNAUTHORIZED"),
                row(Endpoint.GET_AGREEMENT, Who.OTHER_MAKER, 404, "NOT_FOUND"),
                row(Endpoint.GET_AGREEMENT, Who.OTHER_PLATFORM, 404, "NOT_FOUND"),
                row(Endpoint.GET_AGREEMENT, Who.MAKER, 200, null),
                row(Endpoint.GET_AGREEMENT, Who.PLATFORM, 200, null),
                row(Endpoint.GET_AGREEMENT, Who.FINANCE, 200, null),
                row(Endpoint.GET_AGREEMENT, Who.ADMIN, 200, null),
                // POST /agreements: ADMIN only
                row(Endpoint.POST_AGREEMENTS, Who.NOBODY, 401, "UNAUTHORIZED"),
                row(Endpoint.POST_AGREEMENTS, Who.MAKER, 403, "FORBIDDEN"),
                row(Endpoint.POST_AGREEMENTS, Who.FINANCE, 403, "FORBIDDEN"),
                row(Endpoint.POST_AGREEMENTS, Who.PLATFORM, 403, "FORBIDDEN"),
                row(Endpoint.POST_AGREEMENTS, Who.ADMIN, 201, null),
                // POST /accounts: ADMIN only
                row(Endpoint.POST_ACCOUNTS, Who.NOBODY, 401, "UNAUTHORIZED"),
                row(Endpoint.POST_ACCOUNTS, Who.FINANCE, 403, "FORBIDDEN"),
                row(Endpoint.POST_ACCOUNTS, Who.MAKER, 403, "FORBIDDEN"),
                row(Endpoint.POST_ACCOUNTS, Who.PLATFORM, 403, "FORBIDDEN"),
                row(Endpoint.POST_ACCOUNTS, Who.ADMIN, 201, null),
                // POST /platforms/{id}/api-keys: ADMIN only, not even the platform itself
                row(Endpoint.POST_API_KEYS, Who.NOBODY, 401, "UNAUTHORIZED"),
                row(Endpoint.POST_API_KEYS, Who.PLATFORM, 403, "FORBIDDEN"),
                row(Endpoint.POST_API_KEYS, Who.FINANCE, 403, "FORBIDDEN"),
                row(Endpoint.POST_API_KEYS, Who.MAKER, 403, "FORBIDDEN"),
                row(Endpoint.POST_API_KEYS, Who.ADMIN, 201, null),
                // POST|DELETE /platforms/{id}/kafka-credentials: ADMIN only, as API keys
                row(Endpoint.POST_KAFKA_CREDENTIALS, Who.NOBODY, 401, "UNAUTHORIZED"),
                row(Endpoint.POST_KAFKA_CREDENTIALS, Who.PLATFORM, 403, "FORBIDDEN"),
                row(Endpoint.POST_KAFKA_CREDENTIALS, Who.OTHER_PLATFORM, 403, "FORBIDDEN"),
                row(Endpoint.POST_KAFKA_CREDENTIALS, Who.FINANCE, 403, "FORBIDDEN"),
                row(Endpoint.POST_KAFKA_CREDENTIALS, Who.MAKER, 403, "FORBIDDEN"),
                row(Endpoint.POST_KAFKA_CREDENTIALS, Who.ADMIN, 201, null),
                row(Endpoint.DELETE_KAFKA_CREDENTIALS, Who.NOBODY, 401, "UNAUTHORIZED"),
                row(Endpoint.DELETE_KAFKA_CREDENTIALS, Who.PLATFORM, 403, "FORBIDDEN"),
                row(Endpoint.DELETE_KAFKA_CREDENTIALS, Who.OTHER_PLATFORM, 403, "FORBIDDEN"),
                row(Endpoint.DELETE_KAFKA_CREDENTIALS, Who.FINANCE, 403, "FORBIDDEN"),
                row(Endpoint.DELETE_KAFKA_CREDENTIALS, Who.MAKER, 403, "FORBIDDEN"),
                row(Endpoint.DELETE_KAFKA_CREDENTIALS, Who.ADMIN, 204, null),
                // POST /aliases/reattribute: ADMIN only, not even the maker that gains the ref
                row(Endpoint.POST_REATTRIBUTE, Who.NOBODY, 401, "UNAUTHORIZED"),
                row(Endpoint.POST_REATTRIBUTE, Who.FINANCE, 403, "FORBIDDEN"),
                row(Endpoint.POST_REATTRIBUTE, Who.MAKER, 403, "FORBIDDEN"),
                row(Endpoint.POST_REATTRIBUTE, Who.OTHER_MAKER, 403, "FORBIDDEN"),
                row(Endpoint.POST_REATTRIBUTE, Who.PLATFORM, 403, "FORBIDDEN"),
                row(Endpoint.POST_REATTRIBUTE, Who.OTHER_PLATFORM, 403, "FORBIDDEN"),
                row(Endpoint.POST_REATTRIBUTE, Who.ADMIN, 202, null),
                // POST /accounts/{u}/password: the account itself (with its old password), ADMIN
                row(Endpoint.POST_PASSWORD, Who.NOBODY, 401, "UNAUTHORIZED"),
                row(Endpoint.POST_PASSWORD, Who.FINANCE, 403, "FORBIDDEN"),
                row(Endpoint.POST_PASSWORD, Who.MAKER, 403, "FORBIDDEN"),
                row(Endpoint.POST_PASSWORD, Who.PLATFORM, 403, "FORBIDDEN"),
                row(Endpoint.POST_PASSWORD, Who.ADMIN, 204, null),
                // POST /accounts/{u}/disable and /enable: ADMIN only
                row(Endpoint.POST_DISABLE, Who.NOBODY, 401, "UNAUTHORIZED"),
                row(Endpoint.POST_DISABLE, Who.FINANCE, 403, "FORBIDDEN"),
                row(Endpoint.POST_DISABLE, Who.MAKER, 403, "FORBIDDEN"),
                row(Endpoint.POST_DISABLE, Who.PLATFORM, 403, "FORBIDDEN"),
                row(Endpoint.POST_DISABLE, Who.ADMIN, 200, null),
                row(Endpoint.POST_ENABLE, Who.NOBODY, 401, "UNAUTHORIZED"),
                row(Endpoint.POST_ENABLE, Who.FINANCE, 403, "FORBIDDEN"),
                row(Endpoint.POST_ENABLE, Who.MAKER, 403, "FORBIDDEN"),
                row(Endpoint.POST_ENABLE, Who.PLATFORM, 403, "FORBIDDEN"),
                row(Endpoint.POST_ENABLE, Who.ADMIN, 200, null));
    }

    private static Arguments row(Endpoint endpoint, Who who, int status, String code) {
        return Arguments.of(endpoint, who, status, code);
    }

    @ParameterizedTest(name = "{0} as {1} -> {2} {3}")
    @MethodSource("matrix")
    void rolesAndTenants(Endpoint endpoint, Who who, int status, String code) {
        World w = world();
        expect(endpoint.call(who.request(w), w).then(), status, code);
    }

    @Test
    void aMakerWithoutMakerIdListsOnlyItsOwnAgreements() {
        World w = world();
        given().auth()
                .oauth2(Tokens.maker(w.maker()))
                .queryParam("size", 1000)
                .get("/agreements")
                .then()
                .statusCode(200)
                .body("items.id", hasItem(w.agreement()))
                .body("items.makerId", everyItem(equalTo(w.maker())));
        given().auth()
                .oauth2(Tokens.maker(w.otherMaker()))
                .queryParam("size", 1000)
                .get("/agreements")
                .then()
                .statusCode(200)
                .body("items.id", not(hasItem(w.agreement())))
                .body("items.makerId", everyItem(equalTo(w.otherMaker())));
    }

    @Test
    void aTenantRoleWithoutItsTenantClaimIsRefusedEverywhere() {
        World w = world();
        String makerWithoutMaker =
                Tokens.token("no-maker", "MAKER", null, null, Duration.ofHours(1));
        String platformWithoutPlatform =
                Tokens.token("no-platform", "PLATFORM", null, null, Duration.ofHours(1));
        for (String token : List.of(makerWithoutMaker, platformWithoutPlatform)) {
            expect(given().auth().oauth2(token).get("/agreements").then(), 403, "FORBIDDEN");
            expect(
                    given().auth().oauth2(token).get("/agreements/" + w.agreement()).then(),
                    403,
                    "FORBIDDEN");
            expect(
                    given().auth()
                            .oauth2(token)
                            .queryParam("platformId", w.platform())
                            .get("/alias-proposals")
                            .then(),
                    403,
                    "FORBIDDEN");
            expect(given().auth().oauth2(token).get("/audit").then(), 403, "FORBIDDEN");
        }
        expect(
                given().auth()
                        .oauth2(makerWithoutMaker)
                        .contentType(ContentType.JSON)
                        .body(modelJson(uid("md"), w.maker()))
                        .post("/models")
                        .then(),
                403,
                "FORBIDDEN");
    }

    // ---------------------------------------------------------------- bad tokens

    @Test
    void aTokenForAnotherAudienceOrNoneIs401AndIssuedTokensNameFairshare() throws Exception {
        given().auth()
                .oauth2(Tokens.forAudience("fairshare", "ADMIN", null, null))
                .get("/makers")
                .then()
                .statusCode(200);
        for (String audience : java.util.Arrays.asList(null, "another-app")) {
            expect(
                    given().auth()
                            .oauth2(Tokens.forAudience(audience, "ADMIN", null, null))
                            .get("/makers")
                            .then(),
                    401,
                    "UNAUTHORIZED");
        }
        String issued = login("admin", dev.fairshare.localstack.Infrastructure.ADMIN_PASSWORD);
        JsonNode aud = claims(issued).get("aud");
        assertThat(aud.isArray() ? aud.get(0).asText() : aud.asText()).isEqualTo("fairshare");
    }

    @Test
    void tamperedExpiredAndStrangerTokensAre401() {
        // the control: the same request with a good token passes
        given().auth().oauth2(Tokens.admin()).get("/makers").then().statusCode(200);

        for (String token : Tokens.invalid("ADMIN")) {
            expect(
                    given().header("Authorization", "Bearer " + token).get("/makers").then(),
                    401,
                    "UNAUTHORIZED");
        }
    }

    // ---------------------------------------------------------------- POST /auth/token

    @Test
    void theInitialAdminLogsInAndItsTokenWorks() {
        String token =
                tokenRequest(
                                "{\"username\":\"admin\",\"password\":\""
                                        + Infrastructure.ADMIN_PASSWORD
                                        + "\"}")
                        .statusCode(200)
                        .body("tokenType", equalTo("Bearer"))
                        .body("expiresIn", equalTo(900))
                        .body("accessToken", notNullValue())
                        .extract()
                        .path("accessToken");
        given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body(named(uid("mk")))
                .post("/makers")
                .then()
                .statusCode(201);
    }

    @Test
    void aWrongPasswordOrAnUnknownUserIs401() {
        expect(
                tokenRequest("{\"username\":\"admin\",\"password\":\"not-the-admin-password\"}"),
                401,
                "INVALID_CREDENTIALS");
        expect(
                tokenRequest(
                        "{\"username\":\""
                                + uid("nobody")
                                + "\",\"password\":\""
                                + PASSWORD
                                + "\"}"),
                401,
                "INVALID_CREDENTIALS");
    }

    // ---------------------------------------------------------------- accounts

    @Test
    void aMakerAccountActsForItsOwnMakerOnly() throws Exception {
        World w = world();
        String username = uid("acct");
        String password = "maker-" + uid("secret");
        String created =
                asAdmin()
                        .body(accountJson(username, password, "MAKER", w.maker()))
                        .post("/accounts")
                        .then()
                        .statusCode(201)
                        .body("username", equalTo(username))
                        .body("role", equalTo("MAKER"))
                        .body("makerId", equalTo(w.maker()))
                        .extract()
                        .asString();
        // the answer carries neither the password nor its hash
        List<String> fields = new ArrayList<>();
        JSON.readTree(created).fieldNames().forEachRemaining(fields::add);
        assertThat(fields)
                .isNotEmpty()
                .noneMatch(f -> f.toLowerCase().contains("password"))
                .noneMatch(f -> f.toLowerCase().contains("hash"));
        assertThat(created).doesNotContain(password);

        // stored only as a bcrypt hash
        String hash = single("select password_hash from account where username = ?", username);
        assertThat(hash).startsWith("$2").isNotEqualTo(password).doesNotContain(password);

        String token = login(username, password);
        given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body(modelJson(uid("md"), w.maker()))
                .post("/models")
                .then()
                .statusCode(201)
                .body("makerId", equalTo(w.maker()));
        expect(
                given().auth()
                        .oauth2(token)
                        .contentType(ContentType.JSON)
                        .body(modelJson(uid("md"), w.otherMaker()))
                        .post("/models")
                        .then(),
                403,
                "FORBIDDEN");
    }

    @Test
    void invalidAccountsAre422AndADuplicateIs409() {
        World w = world();
        expect(
                asAdmin()
                        .body(accountJson(uid("acct"), PASSWORD, "KING", null))
                        .post("/accounts")
                        .then(),
                422,
                "INVALID_ROLE");
        expect(
                asAdmin()
                        .body(accountJson(uid("acct"), "short", "MAKER", w.maker()))
                        .post("/accounts")
                        .then(),
                422,
                "WEAK_PASSWORD");
        expect(
                        asAdmin()
                                .body(accountJson(uid("acct"), PASSWORD, "MAKER", null))
                                .post("/accounts")
                                .then(),
                        422,
                        "MISSING_FIELD")
                .body("errors.field", hasItem("makerId"));
        String username = financeAccount();
        expect(
                asAdmin()
                        .body(accountJson(username, PASSWORD + "-again", "FINANCE", null))
                        .post("/accounts")
                        .then(),
                409,
                "DUPLICATE_ID");
    }

    @Test
    void theAccountChangesItsOwnPasswordWithTheOldOne() {
        String username = financeAccount();
        String token = login(username, PASSWORD);
        String next = "a brand new passphrase";
        // the old password is required, and must be right; the new one follows the rules
        expect(
                        given().auth()
                                .oauth2(token)
                                .contentType(ContentType.JSON)
                                .body("{\"newPassword\":\"" + next + "\"}")
                                .post("/accounts/" + username + "/password")
                                .then(),
                        422,
                        "MISSING_FIELD")
                .body("errors.field", hasItem("oldPassword"));
        expect(
                        given().auth()
                                .oauth2(token)
                                .contentType(ContentType.JSON)
                                .body(passwordChange("not the old one", next))
                                .post("/accounts/" + username + "/password")
                                .then(),
                        422,
                        "WRONG_PASSWORD")
                .body("errors.field", hasItem("oldPassword"));
        expect(
                        given().auth()
                                .oauth2(token)
                                .contentType(ContentType.JSON)
                                .body(passwordChange(PASSWORD, "CHANGE-ME-CHANGE-ME"))
                                .post("/accounts/" + username + "/password")
                                .then(),
                        422,
                        "WEAK_PASSWORD")
                .body("errors.field", hasItem("newPassword"));
        // another account's password is not the caller's to change, old password or not
        expect(
                given().auth()
                        .oauth2(token)
                        .contentType(ContentType.JSON)
                        .body(passwordChange(PASSWORD, next))
                        .post("/accounts/admin/password")
                        .then(),
                403,
                "FORBIDDEN");
        given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body(passwordChange(PASSWORD, next))
                .post("/accounts/" + username + "/password")
                .then()
                .statusCode(204);
        expect(
                tokenRequest(
                        "{\"username\":\"" + username + "\",\"password\":\"" + PASSWORD + "\"}"),
                401,
                "INVALID_CREDENTIALS");
        login(username, next);
        // ADMIN sets it without the old one; an unknown account is 404
        asAdmin()
                .body("{\"newPassword\":\"set by the admin here\"}")
                .post("/accounts/" + username + "/password")
                .then()
                .statusCode(204);
        login(username, "set by the admin here");
        expect(
                asAdmin()
                        .body("{\"newPassword\":\"set by the admin here\"}")
                        .post("/accounts/" + uid("nobody") + "/password")
                        .then(),
                404,
                "NOT_FOUND");
    }

    @Test
    void aDisabledAccountGetsNoTokenUntilEnabled() {
        String username = financeAccount();
        login(username, PASSWORD);
        asAdmin()
                .post("/accounts/" + username + "/disable")
                .then()
                .statusCode(200)
                .body("username", equalTo(username))
                .body("disabledAt", notNullValue());
        String credentials =
                "{\"username\":\"" + username + "\",\"password\":\"" + PASSWORD + "\"}";
        expect(tokenRequest(credentials), 401, "ACCOUNT_DISABLED");
        // a wrong password is not told that the account is disabled
        expect(
                tokenRequest(
                        "{\"username\":\"" + username + "\",\"password\":\"wrong password!\"}"),
                401,
                "INVALID_CREDENTIALS");
        asAdmin()
                .post("/accounts/" + username + "/enable")
                .then()
                .statusCode(200)
                .body("disabledAt", nullValue());
        login(username, PASSWORD);
    }

    @Test
    void aDisabledPlatformAccountStopsItsPlatformsApiKeys() {
        String platform = RegistryTestSupport.platform();
        String apiKey = createKey(platform).getString("apiKey");
        String username = uid("acct");
        asAdmin()
                .body(
                        "{\"username\":\""
                                + username
                                + "\",\"password\":\""
                                + PASSWORD
                                + "\",\"role\":\"PLATFORM\",\"platformId\":\""
                                + platform
                                + "\"}")
                .post("/accounts")
                .then()
                .statusCode(201);
        tokenRequest("{\"apiKey\":\"" + apiKey + "\"}").statusCode(200);
        asAdmin().post("/accounts/" + username + "/disable").then().statusCode(200);
        expect(tokenRequest("{\"apiKey\":\"" + apiKey + "\"}"), 401, "ACCOUNT_DISABLED");
        asAdmin().post("/accounts/" + username + "/enable").then().statusCode(200);
        tokenRequest("{\"apiKey\":\"" + apiKey + "\"}").statusCode(200);
    }

    @Test
    void theLastEnabledAdminCannotBeDisabledAndUnknownAccountsAre404() {
        // the matrix creates no ADMIN account: "admin" is the only one
        expect(asAdmin().post("/accounts/admin/disable").then(), 409, "LAST_ADMIN");
        login("admin", dev.fairshare.localstack.Infrastructure.ADMIN_PASSWORD);
        expect(asAdmin().post("/accounts/" + uid("nobody") + "/disable").then(), 404, "NOT_FOUND");
    }

    @Test
    void placeholderPasswordsAreWeak() {
        for (String placeholder : List.of("CHANGE-ME", "change-me-admin", "ChangeMe-ChangeMe")) {
            expect(
                            asAdmin()
                                    .body(accountJson(uid("acct"), placeholder, "FINANCE", null))
                                    .post("/accounts")
                                    .then(),
                            422,
                            "WEAK_PASSWORD")
                    .body("errors.field", hasItem("password"));
        }
    }

    static String passwordChange(String oldPassword, String newPassword) {
        return "{\"oldPassword\":\"" + oldPassword + "\",\"newPassword\":\"" + newPassword + "\"}";
    }

    // ---------------------------------------------------------------- API keys

    @Test
    void anApiKeyIsShownOnceStoredHashedExchangedAndRevoked() throws Exception {
        String platform = RegistryTestSupport.platform();
        JsonPath created =
                asAdmin()
                        .post("/platforms/" + platform + "/api-keys")
                        .then()
                        .statusCode(201)
                        .body("platformId", equalTo(platform))
                        .extract()
                        .jsonPath();
        String apiKey = created.getString("apiKey");
        String keyId = created.getString("keyId");
        assertThat(apiKey).startsWith("fsk_");
        assertThat(keyId).isNotBlank();
        String secret = apiKey.substring(("fsk_" + keyId + "_").length());
        assertThat(secret).isNotBlank();

        // the listing names the key but never shows it
        String listing =
                asAdmin()
                        .get("/platforms/" + platform + "/api-keys")
                        .then()
                        .statusCode(200)
                        .body("keyId", hasItem(keyId))
                        .body("find { it.keyId == '" + keyId + "' }.revokedAt", nullValue())
                        .extract()
                        .asString();
        assertThat(JSON.readTree(listing).findValues("apiKey")).isEmpty();
        assertThat(listing).doesNotContain(apiKey).doesNotContain(secret);

        // the key is exchanged for a PLATFORM token of its platform
        String token =
                tokenRequest("{\"apiKey\":\"" + apiKey + "\"}")
                        .statusCode(200)
                        .body("tokenType", equalTo("Bearer"))
                        .extract()
                        .path("accessToken");
        JsonNode claims = claims(token);
        List<String> groups = new ArrayList<>();
        claims.get("groups").forEach(g -> groups.add(g.asText()));
        assertThat(groups).contains("PLATFORM");
        assertThat(claims.get("platformId").asText()).isEqualTo(platform);
        given().auth().oauth2(token).get("/makers").then().statusCode(200);
        expect(
                given().auth()
                        .oauth2(token)
                        .contentType(ContentType.JSON)
                        .body(named(uid("mk")))
                        .post("/makers")
                        .then(),
                403,
                "FORBIDDEN");

        // the database holds the SHA-256 of the key, and nothing of the key itself
        assertThat(single("select key_hash from api_key where id = ?", keyId))
                .isEqualTo(sha256Hex(apiKey));
        List<String> columns = columns("select * from api_key where id = ?", keyId);
        assertThat(columns).isNotEmpty();
        for (String value : columns) {
            if (value != null) {
                assertThat(value).doesNotContain(apiKey).doesNotContain(secret);
            }
        }

        // revoked: refused from now on, and the listing says when
        asAdmin().delete("/platforms/" + platform + "/api-keys/" + keyId).then().statusCode(204);
        expect(tokenRequest("{\"apiKey\":\"" + apiKey + "\"}"), 401, "INVALID_CREDENTIALS");
        asAdmin()
                .get("/platforms/" + platform + "/api-keys")
                .then()
                .statusCode(200)
                .body("find { it.keyId == '" + keyId + "' }.revokedAt", notNullValue());
    }

    @Test
    void twoKeysHaveDifferentSecretsAndAreRevokedSeparately() {
        String platform = RegistryTestSupport.platform();
        JsonPath first = createKey(platform);
        JsonPath second = createKey(platform);
        assertThat(first.getString("apiKey")).isNotEqualTo(second.getString("apiKey"));
        assertThat(first.getString("keyId")).isNotEqualTo(second.getString("keyId"));

        asAdmin()
                .delete("/platforms/" + platform + "/api-keys/" + first.getString("keyId"))
                .then()
                .statusCode(204);
        expect(
                tokenRequest("{\"apiKey\":\"" + first.getString("apiKey") + "\"}"),
                401,
                "INVALID_CREDENTIALS");
        tokenRequest("{\"apiKey\":\"" + second.getString("apiKey") + "\"}").statusCode(200);
    }

    // ---------------------------------------------------------------- helpers

    /**
     * Asserts the status and, for an error, that it is problem+json with {@code code}; a 401 for a
     * missing or bad token also challenges with WWW-Authenticate: Bearer.
     */
    static ValidatableResponse expect(ValidatableResponse r, int status, String code) {
        r.statusCode(status);
        if (code != null) {
            r.contentType(PROBLEM_JSON).body("code", equalTo(code));
        }
        if ("UNAUTHORIZED".equals(code)) {
            r.header("WWW-Authenticate", "Bearer");
        }
        return r;
    }

    static RequestSpecification asAdmin() {
        return given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON);
    }

    static ValidatableResponse tokenRequest(String json) {
        return given().contentType(ContentType.JSON).body(json).post("/auth/token").then();
    }

    static String login(String username, String password) {
        return tokenRequest("{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}")
                .statusCode(200)
                .body("tokenType", equalTo("Bearer"))
                .extract()
                .path("accessToken");
    }

    static JsonPath createKey(String platform) {
        return asAdmin()
                .post("/platforms/" + platform + "/api-keys")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath();
    }

    /** The payload of a JWT, decoded (not verified). */
    static JsonNode claims(String jwt) throws Exception {
        String[] parts = jwt.split("\\.");
        assertThat(parts).hasSize(3);
        return JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
    }

    static String sha256Hex(String value) throws Exception {
        return HexFormat.of()
                .formatHex(
                        MessageDigest.getInstance("SHA-256")
                                .digest(value.getBytes(StandardCharsets.UTF_8)));
    }

    /** The first column of the one row a query returns. */
    String single(String sql, String param) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, param);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).as("a row for " + sql + " with " + param).isTrue();
                return rs.getString(1);
            }
        }
    }

    /** Every column of the one row a query returns, as text. */
    List<String> columns(String sql, String param) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, param);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).as("a row for " + sql + " with " + param).isTrue();
                List<String> values = new ArrayList<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    values.add(rs.getString(i));
                }
                return values;
            }
        }
    }

    static String named(String id) {
        return "{\"id\":\"" + id + "\",\"name\":\"N " + id + "\"}";
    }

    static String modelJson(String id, String maker) {
        return "{\"id\":\""
                + id
                + "\",\"makerId\":\""
                + maker
                + "\",\"name\":\"M\","
                + "\"license\":{\"id\":\"apache-2.0\",\"commercialUse\":true},\"parents\":[]}";
    }

    static String agreementJson(String id, String maker, String platform) {
        return "{\"id\":\""
                + id
                + "\",\"makerId\":\""
                + maker
                + "\",\"platformId\":\""
                + platform
                + "\",\"currency\":\"USD\",\"validFrom\":\"2026-01-01T00:00:00Z\","
                + "\"terms\":{\"type\":\"REVENUE_SHARE\",\"rate\":\"0.20\"}}";
    }

    static String accountJson(String username, String password, String role, String maker) {
        return "{\"username\":\""
                + username
                + "\",\"password\":\""
                + password
                + "\",\"role\":\""
                + role
                + "\""
                + (maker == null ? "" : ",\"makerId\":\"" + maker + "\"")
                + "}";
    }
}
