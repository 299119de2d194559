package dev.fairshare.settlement;

import static io.restassured.RestAssured.given;

import dev.fairshare.localstack.Tokens;
import io.restassured.path.json.JsonPath;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;

/**
 * Periods close in order, and every month from the first agreement on is one: a test that closes a
 * month first closes the OPEN months before it (those of every test class that shares the service).
 */
final class Periods {
    private Periods() {}

    /** Closes (forced) every OPEN period before {@code period}, oldest first. */
    static void closeOpenPeriodsBefore(YearMonth period) {
        AuthMatrixTest.awaitRegistryReplica();
        JsonPath periods =
                given().auth()
                        .oauth2(Tokens.finance())
                        .get("/periods")
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath();
        List<Map<String, Object>> all = periods.getList("$");
        for (Map<String, Object> p : all) {
            YearMonth month = YearMonth.parse((String) p.get("period"));
            if (month.isBefore(period) && "OPEN".equals(p.get("status"))) {
                given().auth()
                        .oauth2(Tokens.finance())
                        .queryParam("force", true)
                        .post("/periods/" + month + "/close")
                        .then()
                        .statusCode(200);
            }
        }
    }

    /** The status of {@code period} in GET /periods, or null when it is not listed. */
    static String status(YearMonth period) {
        return given().auth()
                .oauth2(Tokens.finance())
                .get("/periods")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getString("find { it.period == '" + period + "' }.status");
    }
}
