package dev.fairshare.settlement;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.not;

import dev.fairshare.localstack.FairshareTestResource;
import dev.fairshare.localstack.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's routing and its cookie: the browser tests (deploy/system-tests DashboardIT) drive
 * the pages themselves; here, who lands where and that the cookie is a token like the header.
 */
@QuarkusTest
@QuarkusTestResource(
        value = FairshareTestResource.class,
        initArgs = @ResourceArg(name = "database", value = "settlement"))
class DashboardTest {

    @Test
    void withoutATokenEveryPageLeadsToTheSignIn() {
        for (String page :
                new String[] {"/", "/dashboard", "/dashboard/maker", "/dashboard/finance"}) {
            given().redirects()
                    .follow(false)
                    .get(page)
                    .then()
                    .statusCode(303)
                    .header("Location", endsWith(page.equals("/") ? "/dashboard" : "/login"));
        }
        given().get("/login").then().statusCode(200).body(containsString("id=\"sign-in\""));
    }

    @Test
    void anExpiredCookieLeadsToTheSignInAndTheApiRefusesIt() {
        String expired = Tokens.token("old", "FINANCE", null, null, Duration.ofMinutes(-10));
        given().redirects()
                .follow(false)
                .cookie("fairshare_token", expired)
                .get("/dashboard")
                .then()
                .statusCode(303)
                .header("Location", endsWith("/login"));
        given().cookie("fairshare_token", expired).get("/periods").then().statusCode(401);
    }

    @Test
    void theApiTakesTheAuthorizationHeaderNeverTheCookie() {
        given().auth().oauth2(Tokens.finance()).get("/ledger/balances").then().statusCode(200);
        given().cookie("fairshare_token", Tokens.finance())
                .get("/ledger/balances")
                .then()
                .statusCode(401);
        given().cookie("fairshare_token", Tokens.finance())
                .contentType("application/json")
                .post("/periods/2099-01/close")
                .then()
                .statusCode(org.hamcrest.Matchers.oneOf(401, 403));
    }

    @Test
    void eachRoleLandsOnItsOwnView() {
        given().redirects()
                .follow(false)
                .cookie("fairshare_token", Tokens.maker("m-cookie"))
                .get("/dashboard")
                .then()
                .statusCode(303)
                .header("Location", endsWith("/dashboard/maker"));
        given().redirects()
                .follow(false)
                .cookie("fairshare_token", Tokens.finance())
                .get("/dashboard")
                .then()
                .statusCode(303)
                .header("Location", endsWith("/dashboard/finance"));
        // a maker is sent away from the finance view, and the reverse
        given().redirects()
                .follow(false)
                .cookie("fairshare_token", Tokens.maker("m-cookie"))
                .get("/dashboard/finance")
                .then()
                .statusCode(303)
                .header("Location", endsWith("/dashboard"));
        given().redirects()
                .follow(false)
                .cookie("fairshare_token", Tokens.finance())
                .get("/dashboard/maker")
                .then()
                .statusCode(303)
                .header("Location", endsWith("/dashboard"));
        // a platform has no dashboard
        given().cookie("fairshare_token", Tokens.platform("p-cookie"))
                .get("/dashboard")
                .then()
                .statusCode(403)
                .body(containsString("PLATFORM accounts use the API"));
        given().cookie("fairshare_token", Tokens.maker("m-cookie"))
                .get("/dashboard/maker")
                .then()
                .statusCode(200)
                .body(containsString("Earnings of"))
                .body(containsString("/webjars/echarts/5.3.1/dist/echarts.min.js"));
    }

    @Test
    void aMakerSeesTheNamesOfItsOwnModelsOnly() {
        String maker = "m-names-" + System.nanoTime();
        RegistryRecords.platform("p-names", "Names Cloud");
        RegistryRecords.modelWithAliases(
                maker + "-tts",
                maker,
                "[{\"ref\":\"names/TTS-v2\",\"platformId\":null,\"validFrom\":\"1970-01-01T00:00:00Z\"},"
                        + "{\"ref\":\"tts-large\",\"platformId\":\"p-names\",\"validFrom\":\"2026-11-01T00:00:00Z\"}]");
        RegistryRecords.modelWithAliases(
                "other-" + maker,
                "someone-else",
                "[{\"ref\":\"not-yours\",\"platformId\":null,\"validFrom\":\"1970-01-01T00:00:00Z\"}]");
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(
                        () ->
                                given().cookie("fairshare_token", Tokens.maker(maker))
                                        .get("/dashboard/maker")
                                        .then()
                                        .statusCode(200)
                                        .body(
                                                containsString(
                                                        "<code>names/TTS-v2</code></td><td>every platform</td><td>always</td>"))
                                        .body(
                                                containsString(
                                                        "<code>tts-large</code></td><td>Names Cloud</td><td>2026-11-01</td>"))
                                        .body(not(containsString("not-yours"))));
    }

    @Test
    void aMakerSeesItsOwnProposalsWithTheirStatusAndNotAnotherMakers() {
        String maker = "m-props-" + System.nanoTime();
        String other = "o-props-" + System.nanoTime();
        long base = System.nanoTime();
        RegistryRecords.platform("p-props", "Props Cloud");
        RegistryRecords.proposal(
                base,
                maker,
                maker + "-tts",
                "p-props",
                "props/open",
                "PROPOSED",
                "2026-11-02T08:15:00Z",
                null);
        RegistryRecords.proposal(
                base + 1,
                maker,
                maker + "-tts",
                "p-props",
                "props/taken",
                "PROPOSED",
                "2026-11-02T09:00:00Z",
                null);
        // the platform decided the second one later: the newest record of the key counts
        RegistryRecords.proposal(
                base + 1,
                maker,
                maker + "-tts",
                "p-props",
                "props/taken",
                "ACCEPTED",
                "2026-11-02T09:00:00Z",
                "2026-11-03T10:00:00Z");
        RegistryRecords.proposal(
                base + 2,
                maker,
                maker + "-tts",
                "p-props",
                "props/refused",
                "REJECTED",
                "2026-11-02T10:00:00Z",
                "2026-11-04T11:30:00Z");
        RegistryRecords.proposal(
                base + 3,
                other,
                other + "-tts",
                "p-props",
                "props/not-yours",
                "PROPOSED",
                "2026-11-02T11:00:00Z",
                null);
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(
                        () -> {
                            String html =
                                    given().cookie("fairshare_token", Tokens.maker(maker))
                                            .get("/dashboard/maker")
                                            .then()
                                            .statusCode(200)
                                            .extract()
                                            .asString();
                            String rows =
                                    html.substring(
                                            html.indexOf("<table id=\"proposals\">"),
                                            html.indexOf(
                                                    "</table>",
                                                    html.indexOf("<table id=\"proposals\">")));
                            // the open one first, then the decided ones, each oldest first
                            assertThat(rows)
                                    .containsSubsequence(
                                            "<tr id=\"proposal-"
                                                    + base
                                                    + "\"><td><code>props/open</code></td><td>Props Cloud</td><td>"
                                                    + maker
                                                    + "-tts</td>",
                                            ">PROPOSED</span></td><td>2026-11-02T08:15:00Z</td><td></td></tr>",
                                            "<tr id=\"proposal-"
                                                    + (base + 1)
                                                    + "\"><td><code>props/taken</code></td>",
                                            ">ACCEPTED</span></td><td>2026-11-02T09:00:00Z</td><td>2026-11-03T10:00:00Z</td></tr>",
                                            "<tr id=\"proposal-"
                                                    + (base + 2)
                                                    + "\"><td><code>props/refused</code></td>",
                                            ">REJECTED</span></td><td>2026-11-02T10:00:00Z</td><td>2026-11-04T11:30:00Z</td></tr>");
                            assertThat(rows.split("<tr id=\"proposal-", -1)).hasSize(4);
                            assertThat(html).doesNotContain("props/not-yours");
                        });
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(
                        () ->
                                given().cookie("fairshare_token", Tokens.maker(other))
                                        .get("/dashboard/maker")
                                        .then()
                                        .statusCode(200)
                                        .body(containsString("props/not-yours"))
                                        .body(not(containsString("props/open")))
                                        .body(not(containsString("props/taken"))));
    }

    /** The CSRF token of the first form of a page. */
    static String csrf(String html) {
        Matcher m = CSRF.matcher(html);
        assertThat(m.find()).as("a csrf field in " + html).isTrue();
        return m.group(1);
    }

    static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

    @Test
    void everyFormCarriesTheSessionsCsrfTokenAndAPostWithoutItIs403() {
        String finance = Tokens.finance();
        String page =
                given().cookie("fairshare_token", finance)
                        .get("/dashboard/finance")
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString();
        String token = csrf(page);
        // the sign-out form and every close form carry the same token
        Matcher all = CSRF.matcher(page);
        int forms = 0;
        while (all.find()) {
            assertThat(all.group(1)).isEqualTo(token);
            forms++;
        }
        assertThat(forms).isEqualTo(page.split("<form method=\"post\"", -1).length - 1);
        // another session's page has another token
        assertThat(
                        csrf(
                                given().cookie("fairshare_token", Tokens.finance())
                                        .get("/dashboard/finance")
                                        .then()
                                        .extract()
                                        .asString()))
                .isNotEqualTo(token);

        for (String bad : new String[] {null, "", token + "x", csrf(loginPage().asString())}) {
            var close =
                    given().redirects()
                            .follow(false)
                            .cookie("fairshare_token", finance)
                            .formParam("period", "2099-01");
            if (bad != null) {
                close.formParam("csrf", bad);
            }
            close.post("/dashboard/finance/close")
                    .then()
                    .statusCode(403)
                    .body(containsString("INVALID_CSRF_TOKEN"));
            var out = given().redirects().follow(false).cookie("fairshare_token", finance);
            if (bad != null) {
                out.formParam("csrf", bad);
            }
            out.contentType("application/x-www-form-urlencoded")
                    .post("/logout")
                    .then()
                    .statusCode(403);
        }
        // with the token: the close is tried (and refused for a period that has not ended) by
        // code, and the sign-out clears the cookie
        given().redirects()
                .follow(false)
                .cookie("fairshare_token", finance)
                .formParam("period", "2099-01")
                .formParam("csrf", token)
                .post("/dashboard/finance/close")
                .then()
                .statusCode(303)
                .header(
                        "Location",
                        endsWith("/dashboard/finance?period=2099-01&error=GRACE_PERIOD_NOT_OVER"));
        given().redirects()
                .follow(false)
                .cookie("fairshare_token", finance)
                .formParam("csrf", token)
                .post("/logout")
                .then()
                .statusCode(303)
                .header("Location", endsWith("/login"))
                .header("Set-Cookie", containsString("fairshare_token=;"));
    }

    io.restassured.response.Response loginPage() {
        return given().get("/login").then().statusCode(200).extract().response();
    }

    @Test
    void theSignInFormIsBoundToAPreSessionCookie() {
        var page = loginPage();
        String presession = page.getCookie("fairshare_presession");
        assertThat(presession).isNotBlank();
        assertThat(page.getDetailedCookie("fairshare_presession").isHttpOnly()).isTrue();
        String token = csrf(page.asString());
        // without the cookie, or without the token, the sign-in is refused before the registry is
        // asked
        given().formParam("username", "finance")
                .formParam("password", "a password long enough")
                .formParam("csrf", token)
                .post("/login")
                .then()
                .statusCode(403);
        given().cookie("fairshare_presession", presession)
                .formParam("username", "finance")
                .formParam("password", "a password long enough")
                .post("/login")
                .then()
                .statusCode(403);
        // with both, the registry is asked (and is not running in this test: 503)
        given().cookie("fairshare_presession", presession)
                .formParam("username", "finance")
                .formParam("password", "a password long enough")
                .formParam("csrf", token)
                .post("/login")
                .then()
                .statusCode(503)
                .body(containsString("Sign-in is unavailable"));
    }

    @Test
    void theFinancePageSaysFixedNoticesNeverTheQueryText() {
        given().cookie("fairshare_token", Tokens.finance())
                .queryParam("message", "Call +1 555 0100 to confirm your payout")
                .queryParam("error", "Your account is locked, sign in at evil.example")
                .get("/dashboard/finance")
                .then()
                .statusCode(200)
                .body(not(containsString("555 0100")))
                .body(not(containsString("evil.example")))
                .body(containsString("The period could not be closed."));
        given().cookie("fairshare_token", Tokens.finance())
                .queryParam("error", "EARLIER_PERIOD_OPEN")
                .get("/dashboard/finance")
                .then()
                .statusCode(200)
                .body(containsString("An earlier period is still open: periods close in order."));
    }

    @Test
    void aMakerTokenWithoutItsMakerIdSeesNoLines() {
        String noMaker = Tokens.token("no-maker", "MAKER", null, null, Duration.ofHours(1));
        given().redirects()
                .follow(false)
                .cookie("fairshare_token", noMaker)
                .get("/dashboard/lines/" + java.time.YearMonth.now(java.time.ZoneOffset.UTC))
                .then()
                .statusCode(303)
                .header("Location", endsWith("/dashboard"));
        given().redirects()
                .follow(false)
                .cookie("fairshare_token", noMaker)
                .get("/dashboard/maker")
                .then()
                .statusCode(303)
                .header("Location", endsWith("/dashboard"));
        given().cookie("fairshare_token", noMaker).get("/dashboard").then().statusCode(403);
    }

    @Test
    void financeDownloadsTheCsvWithItsCookieFromTheDashboardNotFromTheApi() {
        given().cookie("fairshare_token", Tokens.finance())
                .get("/dashboard/finance/settlement.csv?period=2026-01")
                .then()
                .statusCode(200)
                .contentType(containsString("text/csv"))
                .body(containsString("period,"));
        given().cookie("fairshare_token", Tokens.finance())
                .get("/reports/2026-01/settlement.csv")
                .then()
                .statusCode(401);
        given().redirects()
                .follow(false)
                .cookie("fairshare_token", Tokens.maker("m-cookie"))
                .get("/dashboard/finance/settlement.csv?period=2026-01")
                .then()
                .statusCode(303);
    }

    @Test
    void theChartLibraryIsServedFromTheJar() {
        given().get("/webjars/echarts/5.3.1/dist/echarts.min.js").then().statusCode(200);
    }
}
