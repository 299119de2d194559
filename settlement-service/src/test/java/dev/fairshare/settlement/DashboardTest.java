package dev.fairshare.settlement;

import static io.restassured.RestAssured.given;
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
    void theChartLibraryIsServedFromTheJar() {
        given().get("/webjars/echarts/5.3.1/dist/echarts.min.js").then().statusCode(200);
    }
}
