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
    void theCookieIsATokenWithTheSameChecks() {
        given().cookie("fairshare_token", Tokens.finance())
                .get("/ledger/balances")
                .then()
                .statusCode(200);
        given().cookie("fairshare_token", Tokens.maker("m-cookie"))
                .get("/ledger/balances")
                .then()
                .statusCode(403);
        given().cookie("fairshare_token", Tokens.maker("m-cookie"))
                .get("/payouts/2024-02?makerId=someone-else")
                .then()
                .statusCode(403);
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

    @Test
    void theChartLibraryIsServedFromTheJar() {
        given().get("/webjars/echarts/5.3.1/dist/echarts.min.js").then().statusCode(200);
    }
}
