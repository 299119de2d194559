package dev.fairshare.settlement;

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
 * A malformed query parameter on every list endpoint (and the close's {@code force}) is a 400
 * problem naming the parameter; GET /periods takes none.
 */
@QuarkusTest
@QuarkusTestResource(
        value = FairshareTestResource.class,
        initArgs = @ResourceArg(name = "database", value = "settlement"))
class QueryParamsTest {
    @ParameterizedTest
    @CsvSource({
        "GET, /statements/2026-01, page, abc, INVALID_VALUE",
        "GET, /statements/2026-01, size, 1.5, INVALID_VALUE",
        "GET, /payouts/2026-01, page, -, INVALID_VALUE",
        "GET, /payouts/2026-01, size, ten, INVALID_VALUE",
        "GET, /invoices/2026-01, page, 9999999999, INVALID_VALUE",
        "GET, /invoices/2026-01, size, 0x10, INVALID_VALUE",
        "GET, /accruals, page, abc, INVALID_VALUE",
        "GET, /accruals, size, 1e3, INVALID_VALUE",
        "GET, /unlicensed-usage, page, abc, INVALID_VALUE",
        "GET, /unlicensed-usage, period, 2026-13, INVALID_PERIOD",
        "GET, /compliance/findings, size, abc, INVALID_VALUE",
        "GET, /compliance/findings, period, last-month, INVALID_PERIOD",
        "GET, /ledger/balances, asOf, yesterday, INVALID_VALUE",
        "POST, /periods/2026-01/close, force, maybe, INVALID_VALUE"
    })
    void aMalformedValueIs400NamingTheParameter(
            String method, String path, String param, String value, String code) {
        given().auth()
                .oauth2(Tokens.finance())
                .queryParam(param, value)
                .request(method, path)
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("code", equalTo(code))
                .body("errors.field", contains(param))
                .body("errors.code", contains(code));
    }

    @ParameterizedTest
    @CsvSource({
        "GET, /statements/2026-01, page, query parameter 'page' must be an integer",
        "POST, /periods/2026-01/close, force, query parameter 'force' must be true or false"
    })
    void theDetailSaysWhatTheParameterMustBe(
            String method, String path, String param, String detail) {
        given().auth()
                .oauth2(Tokens.finance())
                .queryParam(param, "x")
                .request(method, path)
                .then()
                .statusCode(400)
                .body("detail", equalTo(detail));
    }
}
