package dev.fairshare.usage;

import static dev.fairshare.usage.UsageFixtures.awaitAccepted;
import static dev.fairshare.usage.UsageFixtures.event;
import static dev.fairshare.usage.UsageFixtures.modelKnownAs;
import static dev.fairshare.usage.UsageFixtures.platform;
import static dev.fairshare.usage.UsageFixtures.uid;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;

import dev.fairshare.localstack.FairshareTestResource;
import dev.fairshare.localstack.Tokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.arc.Arc;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Who may report usage and read it: roles, and a PLATFORM token confined to its platform. */
@QuarkusTest
@QuarkusTestResource(
        value = FairshareTestResource.class,
        initArgs = @ResourceArg(name = "database", value = "usage"))
class AuthMatrixTest {
    @TestHTTPResource(value = "/", management = true)
    java.net.URL managementPort;

    @Test
    void healthMetricsAndOpenApiAreOnTheManagementPortOnly() {
        dev.fairshare.localstack.ManagementPaths.assertInPlace(
                io.restassured.RestAssured.port, managementPort);
    }

    static final String PROBLEM_JSON = "application/problem+json";
    static final Instant AT =
            Instant.now().truncatedTo(ChronoUnit.DAYS).minus(1, ChronoUnit.DAYS).plusSeconds(3600);

    // ---------------------------------------------------------------- the shared world

    /**
     * Two onboarded platforms with stored usage each (attributed and unattributed), a model with a
     * global alias {@code ref}, and one stored event of the other platform.
     */
    record World(String platform, String otherPlatform, String ref, String eventOfOther) {}

    private static World world;

    static synchronized World world() {
        if (world == null) {
            String p = platform();
            String q = platform();
            String model = uid("md");
            String ref = "org/" + model;
            modelKnownAs(model, ref);
            String eventOfP = uid("e");
            String eventOfQ = uid("e");
            awaitAccepted(p, event(eventOfP, p, ref, AT, "1.00"));
            awaitAccepted(q, event(eventOfQ, q, ref, AT, "2.00"));
            awaitAccepted(p, event(uid("e"), p, "unknown/" + uid("ref"), AT, "1.00"));
            awaitAccepted(q, event(uid("e"), q, "unknown/" + uid("ref"), AT, "1.00"));
            await().atMost(Duration.ofSeconds(60))
                    .untilAsserted(
                            () -> {
                                finance()
                                        .get("/usage/events/" + p + "/" + eventOfP)
                                        .then()
                                        .statusCode(200);
                                finance()
                                        .get("/usage/events/" + q + "/" + eventOfQ)
                                        .then()
                                        .statusCode(200);
                                for (String platform : List.of(p, q)) {
                                    for (String path :
                                            List.of("/usage/summary", "/usage/unattributed")) {
                                        finance()
                                                .queryParam("platformId", platform)
                                                .get(path)
                                                .then()
                                                .statusCode(200)
                                                .body("items", not(empty()));
                                    }
                                }
                            });
            quarantine(p, q);
            world = new World(p, q, ref, eventOfQ);
        }
        return world;
    }

    /** A quarantined record of each platform, as the consumer's recovery records one. */
    static void quarantine(String... platforms) {
        try (Connection c = Arc.container().instance(AgroalDataSource.class).get().getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "insert into quarantined_record"
                                        + " (platform_id, topic, partition_no, offset_no, reason)"
                                        + " values (?, ?, 0, 0, 'a reader cannot hold it')")) {
            for (String p : platforms) {
                ps.setString(1, p);
                ps.setString(2, "usage.in." + p);
                ps.executeUpdate();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------- POST /usage-events

    @Test
    void reportingWithoutATokenIs401() {
        World w = world();
        expect(
                given().contentType(ContentType.JSON)
                        .body("[" + event(uid("e"), w.platform(), w.ref(), AT, "1") + "]")
                        .post("/usage-events")
                        .then(),
                401,
                "UNAUTHORIZED");
    }

    @ParameterizedTest(name = "{0} may not report usage")
    @ValueSource(strings = {"FINANCE", "MAKER", "ADMIN"})
    void onlyAPlatformReportsUsage(String role) {
        World w = world();
        String token =
                switch (role) {
                    case "FINANCE" -> Tokens.finance();
                    case "MAKER" -> Tokens.maker(uid("mk"));
                    case "ADMIN" -> Tokens.admin();
                    default -> throw new IllegalArgumentException(role);
                };
        // a valid event: only the role check stands between it and the platform's topic
        expect(
                post(token, "[" + event(uid("e"), w.platform(), w.ref(), AT, "1") + "]"),
                403,
                "FORBIDDEN");
    }

    @Test
    void anEventNamingAnotherPlatformIsRejectedAsPlatformMismatch() {
        World w = world();
        String id = uid("e");
        post(
                        Tokens.platform(w.platform()),
                        "[" + event(id, w.otherPlatform(), w.ref(), AT, "1") + "]")
                .statusCode(202)
                .body("accepted", equalTo(0))
                .body("duplicates", equalTo(0))
                .body("rejected", hasSize(1))
                .body("rejected[0].index", equalTo(0))
                .body("rejected[0].eventId", equalTo(id))
                .body("rejected[0].errors[0].code", equalTo("PLATFORM_MISMATCH"))
                .body("rejected[0].errors[0].field", equalTo("platformId"));
    }

    @Test
    void anEventWithoutPlatformIdIsStampedWithTheSendersPlatform() {
        World w = world();
        String id = uid("e");
        String unnamed =
                event(id, w.platform(), w.ref(), AT, "1.00")
                        .replace("\"platformId\":\"" + w.platform() + "\",", "");
        assertThat(unnamed).doesNotContain("platformId");
        post(Tokens.platform(w.platform()), "[" + unnamed + "]")
                .statusCode(202)
                .body("accepted", equalTo(1))
                .body("rejected", hasSize(0));
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () ->
                                finance()
                                        .get("/usage/events/" + w.platform() + "/" + id)
                                        .then()
                                        .statusCode(200)
                                        .body("platformId", equalTo(w.platform()))
                                        .body("eventId", equalTo(id)));
    }

    // ---------------------------------------------------------------- the read matrix

    enum Query {
        SUMMARY("/usage/summary"),
        UNATTRIBUTED("/usage/unattributed"),
        EVENTS("/usage/events"),
        QUARANTINE("/quarantine");

        final String path;

        Query(String path) {
            this.path = path;
        }
    }

    enum Who {
        NOBODY,
        MAKER,
        PLATFORM,
        FINANCE,
        ADMIN
    }

    /** The platformId a read asks for: none, the world's platform, or the other platform. */
    enum Scope {
        NONE,
        OWN,
        OTHER
    }

    static Stream<Arguments> reads() {
        return Stream.of(Query.values())
                .flatMap(
                        q ->
                                Stream.of(
                                        Arguments.of(
                                                q, Who.NOBODY, Scope.NONE, 401, "UNAUTHORIZED"),
                                        Arguments.of(q, Who.MAKER, Scope.NONE, 403, "FORBIDDEN"),
                                        Arguments.of(q, Who.MAKER, Scope.OWN, 403, "FORBIDDEN"),
                                        Arguments.of(
                                                q, Who.PLATFORM, Scope.OTHER, 403, "FORBIDDEN"),
                                        Arguments.of(q, Who.PLATFORM, Scope.NONE, 200, null),
                                        Arguments.of(q, Who.PLATFORM, Scope.OWN, 200, null),
                                        Arguments.of(q, Who.FINANCE, Scope.OWN, 200, null),
                                        Arguments.of(q, Who.FINANCE, Scope.OTHER, 200, null),
                                        Arguments.of(q, Who.ADMIN, Scope.OWN, 200, null)));
    }

    @ParameterizedTest(name = "{0} as {1} asking for {2} -> {3} {4}")
    @MethodSource("reads")
    void readsAreConfinedToTheCallersPlatform(
            Query query, Who who, Scope scope, int status, String code) {
        World w = world();
        String token =
                switch (who) {
                    case NOBODY -> null;
                    case MAKER -> Tokens.maker(uid("mk"));
                    case PLATFORM -> Tokens.platform(w.platform());
                    case FINANCE -> Tokens.finance();
                    case ADMIN -> Tokens.admin();
                };
        String expected =
                switch (scope) {
                    case NONE, OWN -> w.platform();
                    case OTHER -> w.otherPlatform();
                };
        RequestSpecification r = token == null ? given() : given().auth().oauth2(token);
        if (scope != Scope.NONE) {
            r = r.queryParam("platformId", expected);
        }
        ValidatableResponse response = expect(r.get(query.path).then(), status, code);
        if (status == 200) {
            // a PLATFORM token without platformId reads its own platform, and nothing else
            response.body("items", not(empty()))
                    .body("items.platformId", everyItem(equalTo(expected)));
        }
    }

    @Test
    void anotherPlatformsEventIsNotFoundForAPlatform() {
        World w = world();
        String path = "/usage/events/" + w.otherPlatform() + "/" + w.eventOfOther();
        expect(
                given().auth().oauth2(Tokens.platform(w.platform())).get(path).then(),
                404,
                "NOT_FOUND");
        given().auth()
                .oauth2(Tokens.platform(w.otherPlatform()))
                .get(path)
                .then()
                .statusCode(200)
                .body("eventId", equalTo(w.eventOfOther()))
                .body("platformId", equalTo(w.otherPlatform()));
        finance().get(path).then().statusCode(200).body("eventId", equalTo(w.eventOfOther()));
        expect(given().get(path).then(), 401, "UNAUTHORIZED");
        expect(given().auth().oauth2(Tokens.maker(uid("mk"))).get(path).then(), 403, "FORBIDDEN");
    }

    @Test
    void aPlatformTokenWithoutItsPlatformIdIsRefused() {
        String noPlatform =
                Tokens.token("no-platform", "PLATFORM", null, null, Duration.ofHours(1));
        expect(given().auth().oauth2(noPlatform).get("/usage/summary").then(), 403, "FORBIDDEN");
        expect(
                given().auth().oauth2(noPlatform).get("/usage/unattributed").then(),
                403,
                "FORBIDDEN");
        expect(
                given().auth()
                        .oauth2(noPlatform)
                        .contentType(ContentType.JSON)
                        .body("[]")
                        .post("/usage-events")
                        .then(),
                403,
                "FORBIDDEN");
    }

    // ---------------------------------------------------------------- bad tokens

    @Test
    void tamperedExpiredAndStrangerTokensAre401() {
        World w = world();
        // the control: the same read with a good token passes
        finance().get("/usage/summary").then().statusCode(200);

        for (String token : Tokens.invalid("FINANCE")) {
            expect(
                    given().header("Authorization", "Bearer " + token).get("/usage/summary").then(),
                    401,
                    "UNAUTHORIZED");
        }
        // a platform's token, tampered with, reports nothing
        expect(
                given().header(
                                "Authorization",
                                "Bearer " + Tokens.tampered(Tokens.platform(w.platform())))
                        .contentType(ContentType.JSON)
                        .body("[" + event(uid("e"), w.platform(), w.ref(), AT, "1") + "]")
                        .post("/usage-events")
                        .then(),
                401,
                "UNAUTHORIZED");
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

    static RequestSpecification finance() {
        return given().auth().oauth2(Tokens.finance());
    }

    static ValidatableResponse post(String token, String body) {
        return given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body(body)
                .post("/usage-events")
                .then();
    }
}
