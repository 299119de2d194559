package dev.fairshare.settlement;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;

import dev.fairshare.localstack.FairshareTestResource;
import dev.fairshare.localstack.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's form and query records reach their pages field by field: the payout run form
 * (currency, asOf) and the notices the finance and payout pages show after a redirect.
 */
@QuarkusTest
@QuarkusTestResource(
        value = FairshareTestResource.class,
        initArgs = @ResourceArg(name = "database", value = "settlement"))
class DashboardFormsTest {

    @Test
    void theRunFormChecksItsDayThenItsCurrency() {
        String finance = Tokens.finance();
        String token =
                DashboardTest.csrf(
                        given().cookie("fairshare_token", finance)
                                .get("/dashboard/payouts")
                                .then()
                                .statusCode(200)
                                .extract()
                                .asString());
        post(finance, token, "USD", "2024-13-40")
                .then()
                .statusCode(303)
                .header("Location", endsWith("/dashboard/payouts?error=INVALID_DATE"));
        post(finance, token, "US", "2024-10-31")
                .then()
                .statusCode(303)
                .header("Location", endsWith("/dashboard/payouts?error=INVALID_CURRENCY"));
    }

    @Test
    void thePagesSayTheirNoticesFromTheQuery() {
        String finance = Tokens.finance();
        given().cookie("fairshare_token", finance)
                .get("/dashboard/payouts?error=INVALID_CURRENCY")
                .then()
                .statusCode(200)
                .body(containsString("The currency must be an ISO 4217 code such as USD."));
        given().cookie("fairshare_token", finance)
                .get("/dashboard/payouts?done=created&run=41")
                .then()
                .statusCode(200)
                .body(containsString("Run 41 created as a draft"));
        given().cookie("fairshare_token", finance)
                .get("/dashboard/finance?period=2099-01&error=EARLIER_PERIOD_OPEN")
                .then()
                .statusCode(200)
                .body(containsString("An earlier period is still open: periods close in order."));
    }

    private static io.restassured.response.Response post(
            String cookie, String csrf, String currency, String asOf) {
        return given().redirects()
                .follow(false)
                .cookie("fairshare_token", cookie)
                .formParam("currency", currency)
                .formParam("asOf", asOf)
                .formParam("csrf", csrf)
                .post("/dashboard/payouts/create");
    }
}
