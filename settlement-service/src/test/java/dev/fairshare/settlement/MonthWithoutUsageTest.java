package dev.fairshare.settlement;

import static dev.fairshare.settlement.SettlementFlowTest.amount;
import static dev.fairshare.settlement.SettlementFlowTest.delta;
import static dev.fairshare.settlement.SettlementFlowTest.send;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.fairshare.localstack.FairshareTestResource;
import dev.fairshare.localstack.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A month without usage is a period like any other: it is listed, it closes in its turn, and it
 * pays the guarantees in force, pro-rated.
 *
 * <p>June 2024 has 30 days. An agreement with a guarantee of 75.00 a month is in force from June
 * 11th to July 31st; there is no usage in June. By hand: June owes 75.00 × 20 / 30 = 50.00 (the
 * 11th to the 30th), all of it a top-up. July has usage of 100.00 at 20%: a royalty of 20.00 and a
 * top-up of 75.00 − 20.00 = 55.00 (all 31 days in force).
 */
@QuarkusTest
@QuarkusTestResource(
        value = FairshareTestResource.class,
        initArgs = @ResourceArg(name = "database", value = "settlement"))
class MonthWithoutUsageTest {
    static final YearMonth JUNE = YearMonth.of(2024, 6);
    static final YearMonth JULY = YearMonth.of(2024, 7);

    @Test
    void aMonthWithoutUsageIsListedClosesInOrderAndPaysItsProRatedGuarantee() {
        String s = UUID.randomUUID().toString().substring(0, 6);
        String maker = "mwu-mk-" + s;
        String platform = "mwu-pf-" + s;
        String model = "mwu-md-" + s;
        String agreement = "mwu-ag-" + s;
        RegistryRecords.makerPlatformModel(maker, platform, model);
        RegistryRecords.agreement(
                agreement,
                maker,
                platform,
                null,
                "2024-06-11",
                "2024-08-01",
                RegistryRecords.REVENUE_SHARE_20,
                "USD",
                "75.00");
        send(
                "usage.attributed",
                model,
                delta(UUID.randomUUID() + "/" + model, model, platform, "2024-07-05", "100.00"));

        // June is a period although nothing was used in it
        AuthMatrixTest.awaitRegistryReplica();
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () ->
                                assertThat(amount(read("/payouts/" + JULY, maker), maker))
                                        .isEqualTo("75.00"));
        Periods.closeOpenPeriodsBefore(JUNE);
        assertThat(Periods.status(JUNE)).isEqualTo("OPEN");

        // its estimate: the pro-rated guarantee, all of it a top-up
        JsonPath estimate = read("/statements/" + JUNE, maker);
        List<Map<String, Object>> lines = estimate.getList("items");
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0).get("kind")).isEqualTo("MINIMUM_GUARANTEE_TOPUP");
        assertThat(lines.get(0).get("agreementId")).isEqualTo(agreement);
        assertThat(new BigDecimal((String) lines.get(0).get("amount")))
                .isEqualByComparingTo("50.00");

        // periods close in order: July waits for June
        given().auth()
                .oauth2(Tokens.finance())
                .post("/periods/" + JULY + "/close")
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("code", equalTo("EARLIER_PERIOD_OPEN"))
                .body("detail", containsString("period " + JUNE + " is still open"));

        JsonPath closed =
                given().auth()
                        .oauth2(Tokens.finance())
                        .post("/periods/" + JUNE + "/close")
                        .then()
                        .statusCode(200)
                        .body("status", equalTo("CLOSED"))
                        .extract()
                        .jsonPath();
        assertThat(closed.getString("payouts.find { it.makerId == '" + maker + "' }.amount"))
                .isEqualTo("50.00");
        assertThat(closed.getString("invoices.find { it.platformId == '" + platform + "' }.amount"))
                .isEqualTo("50.00");
        assertThat(Periods.status(JUNE)).isEqualTo("CLOSED");
        JsonPath ledger =
                given().auth()
                        .oauth2(Tokens.finance())
                        .get("/ledger/" + JUNE)
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath();
        String entry = "items.find { it.platformId == '" + platform + "' }";
        assertThat(
                        ledger.getString(
                                entry
                                        + ".lines.find { it.account == 'maker:"
                                        + maker
                                        + ":receivable' }.credit"))
                .isEqualTo("50.00");

        // now July closes: 20.00 royalty and a 55.00 top-up
        given().auth()
                .oauth2(Tokens.finance())
                .post("/periods/" + JULY + "/close")
                .then()
                .statusCode(200);
        JsonPath july = read("/statements/" + JULY, maker);
        assertThat(new BigDecimal(july.getString("items.find { it.kind == 'ROYALTY' }.amount")))
                .isEqualByComparingTo("20.00");
        assertThat(
                        new BigDecimal(
                                july.getString(
                                        "items.find { it.kind == 'MINIMUM_GUARANTEE_TOPUP' }.amount")))
                .isEqualByComparingTo("55.00");
        assertThat(july.getList("items")).hasSize(2);
    }

    /** GET {@code path} as FINANCE, narrowed to {@code maker}. */
    private static JsonPath read(String path, String maker) {
        return given().auth()
                .oauth2(Tokens.finance())
                .queryParam("makerId", maker)
                .get(path)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }
}
