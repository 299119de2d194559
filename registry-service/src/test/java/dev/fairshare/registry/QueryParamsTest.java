package dev.fairshare.registry;

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

/** A malformed paging value on every list endpoint is a 400 problem naming the parameter. */
@QuarkusTest
@QuarkusTestResource(
        value = FairshareTestResource.class,
        initArgs = @ResourceArg(name = "database", value = "registry"))
class QueryParamsTest {
    @ParameterizedTest
    @CsvSource({
        "/makers, page, abc",
        "/makers, size, 1.5",
        "/platforms, page, 9999999999",
        "/platforms, size, ten",
        "/models, page, ' '",
        "/models, size, 0x10",
        "/agreements, page, -",
        "/agreements, size, 1e3"
    })
    void aMalformedPagingValueIs400NamingTheParameter(String path, String param, String value) {
        given().auth()
                .oauth2(Tokens.admin())
                .queryParam(param, value)
                .get(path)
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("code", equalTo("INVALID_VALUE"))
                .body("detail", equalTo("query parameter '" + param + "' must be an integer"))
                .body("errors.field", contains(param))
                .body("errors.code", contains("INVALID_VALUE"));
    }
}
