package dev.fairshare.usage;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

import dev.fairshare.localstack.FairshareTestResource;
import dev.fairshare.localstack.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A malformed query parameter on every list endpoint is a 400 problem naming the parameter (GET
 * /usage/unattributed takes only a platform id, which no value makes malformed).
 */
@QuarkusTest
@QuarkusTestResource(
        value = FairshareTestResource.class,
        initArgs = @ResourceArg(name = "database", value = "usage"))
class QueryParamsTest {
    @ParameterizedTest
    @CsvSource({
        "/usage/events, page, abc, query parameter 'page' must be an integer",
        "/quarantine, page, abc, query parameter 'page' must be an integer",
        "/quarantine, size, ten, query parameter 'size' must be an integer",
        "/usage/events, size, ten, query parameter 'size' must be an integer",
        "/usage/events, page, 9999999999, query parameter 'page' must be an integer",
        "/usage/events, from, 2026-13-01, from must be a date such as 2026-11-01",
        "/usage/events, to, yesterday, to must be a date such as 2026-11-01",
        "/usage/summary, from, 01/11/2026, from must be a date such as 2026-11-01",
        "/usage/summary, to, 2026-02-30, to must be a date such as 2026-11-01",
        "/usage/summary, groupBy, week, groupBy must be day or month"
    })
    void aMalformedValueIs400NamingTheParameter(
            String path, String param, String value, String detail) {
        given().auth()
                .oauth2(Tokens.finance())
                .queryParam("platformId", "pf-any")
                .queryParam(param, value)
                .get(path)
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("code", equalTo("INVALID_VALUE"))
                .body("detail", equalTo(detail))
                .body("errors.field", contains(param))
                .body("errors.code", contains("INVALID_VALUE"));
    }
}
