package dev.fairshare.settlement;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;

import dev.fairshare.localstack.FairshareTestResource;
import dev.fairshare.localstack.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Payout profiles and FX rates: checks, defaults, masking and the change history. */
@QuarkusTest
@QuarkusTestResource(
        value = FairshareTestResource.class,
        initArgs = @ResourceArg(name = "database", value = "settlement"))
class PayoutProfileTest {

    @Test
    void aProfileIsCheckedDefaultedAndEveryChangeRecordedMasked() {
        String maker = "pp-" + UUID.randomUUID().toString().substring(0, 6);
        // a bad check digit, a BIC without an IBAN's company, no name
        given().auth()
                .oauth2(Tokens.maker(maker))
                .contentType("application/json")
                .body(
                        "{\"currency\":\"USD\",\"iban\":\"DE89370400440532013001\",\"bic\":\"NOTABIC\"}")
                .put("/payout-profiles/" + maker)
                .then()
                .statusCode(422)
                .contentType("application/problem+json")
                .body("code", equalTo("VALIDATION_FAILED"))
                .body("errors.field", containsInAnyOrder("payeeName", "iban", "bic"))
                .body(
                        "errors.code",
                        containsInAnyOrder("INVALID_PAYEE_NAME", "INVALID_IBAN", "INVALID_BIC"));
        // both an IBAN and a provider account; a threshold finer than the cent; no such currency
        given().auth()
                .oauth2(Tokens.maker(maker))
                .contentType("application/json")
                .body(
                        "{\"currency\":\"USD\",\"threshold\":\"10.001\",\"payeeName\":\"X\",\"iban\":\"DE89370400440532013000\",\"providerAccount\":\"wise:1234\"}")
                .put("/payout-profiles/" + maker)
                .then()
                .statusCode(422)
                .body(
                        "errors.code",
                        containsInAnyOrder("INVALID_THRESHOLD", "IBAN_OR_PROVIDER_ACCOUNT"));
        given().auth()
                .oauth2(Tokens.maker(maker))
                .contentType("application/json")
                .body(
                        "{\"currency\":\"XYZ\",\"payeeName\":\"X\",\"providerAccount\":\"wise:1234\"}")
                .put("/payout-profiles/" + maker)
                .then()
                .statusCode(422)
                .body("errors[0].field", equalTo("currency"))
                .body("errors[0].code", equalTo("INVALID_CURRENCY"));

        // the default threshold of the currency; spaces and case normalised
        JsonPath first =
                put(
                        maker,
                        Tokens.maker(maker),
                        "{\"currency\":\"JPY\",\"payeeName\":\"Kenji\",\"iban\":\"de89 3704 0044 0532 0130 00\"}");
        assertThat(first.getString("threshold")).isEqualTo("1000");
        assertThat(first.getString("iban")).isEqualTo("DE89370400440532013000");
        assertThat(first.getString("updatedBy")).isEqualTo("maker-" + maker);
        assertThat(first.getList("changes")).hasSize(1);
        assertThat(first.getString("changes[0].before")).isNull();
        assertThat(first.getString("changes[0].after"))
                .isEqualTo(
                        "currency=JPY; threshold=1000; payeeName=Kenji; iban=DE89**************3000");

        // finance changes it: the history keeps both, masked; the same again records nothing new
        String body =
                "{\"currency\":\"USD\",\"payeeName\":\"Kenji\",\"providerAccount\":\"wise:K-55667788\"}";
        put(maker, Tokens.finance(), body);
        JsonPath second = put(maker, Tokens.finance(), body);
        assertThat(second.getString("threshold")).isEqualTo("10.00");
        assertThat(second.getString("providerAccount")).isEqualTo("wise:K-55667788");
        assertThat(second.getList("changes")).hasSize(2);
        assertThat(second.getString("changes[1].changedBy")).isEqualTo("test-finance");
        assertThat(second.getString("changes[1].before"))
                .isEqualTo(
                        "currency=JPY; threshold=1000; payeeName=Kenji; iban=DE89**************3000");
        assertThat(second.getString("changes[1].after"))
                .isEqualTo(
                        "currency=USD; threshold=10.00; payeeName=Kenji; providerAccount=***********7788");

        // the maker reads its own; another maker may not
        given().auth()
                .oauth2(Tokens.maker(maker))
                .get("/payout-profiles/" + maker)
                .then()
                .statusCode(200)
                .body("providerAccount", equalTo("wise:K-55667788"));
        given().auth()
                .oauth2(Tokens.maker("other-" + maker))
                .get("/payout-profiles/" + maker)
                .then()
                .statusCode(403)
                .body("code", equalTo("FORBIDDEN"));
    }

    @Test
    void anFxRateIsRecordedOncePerDayAndPair() {
        String rate =
                "{\"date\":\"2031-01-31\",\"base\":\"GBP\",\"quote\":\"JPY\",\"rate\":\"190.125\",\"source\":\"test desk\"}";
        given().auth()
                .oauth2(Tokens.finance())
                .contentType("application/json")
                .body(rate)
                .post("/fx-rates")
                .then()
                .statusCode(201)
                .header(
                        "Location",
                        org.hamcrest.Matchers.endsWith("/fx-rates?date=2031-01-31&quote=JPY"))
                .body("recordedBy", equalTo("test-finance"));
        given().auth()
                .oauth2(Tokens.finance())
                .contentType("application/json")
                .body(rate)
                .post("/fx-rates")
                .then()
                .statusCode(409)
                .body("code", equalTo("RATE_EXISTS"));
        given().auth()
                .oauth2(Tokens.finance())
                .queryParam("date", "2031-01-31")
                .queryParam("quote", "JPY")
                .get("/fx-rates")
                .then()
                .statusCode(200)
                .body("total", equalTo(1))
                .body("items[0].rate", equalTo("190.125"))
                .body("items[0].source", equalTo("test desk"));
        given().auth()
                .oauth2(Tokens.finance())
                .contentType("application/json")
                .body(
                        "{\"date\":\"31.01.2031\",\"base\":\"GBP\",\"quote\":\"GBP\",\"rate\":\"-1\"}")
                .post("/fx-rates")
                .then()
                .statusCode(422)
                .body("errors.field", containsInAnyOrder("date", "quote", "rate", "source"));
    }

    static JsonPath put(String maker, String token, String body) {
        return given().auth()
                .oauth2(token)
                .contentType("application/json")
                .body(body)
                .put("/payout-profiles/" + maker)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }
}
