package dev.fairshare.settlement;

import static dev.fairshare.settlement.SettlementFlowTest.amount;
import static dev.fairshare.settlement.SettlementFlowTest.delta;
import static dev.fairshare.settlement.SettlementFlowTest.send;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import dev.fairshare.localstack.FairshareTestResource;
import dev.fairshare.localstack.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Revenue in another currency than its revenue-share agreement's is not rated, and never invisible:
 * GET /currency-mismatches lists it (to finance all of it, to a maker or a platform its own), the
 * dashboard shows it, and a close counts it.
 *
 * <p>September 2022, one platform, two makers with a USD revenue share of 20% each. Maker 1's model
 * has 100.00 USD (rated: 20.00), 30.00 and 12.50 EUR on two days and 8.00 GBP; maker 2's model has
 * 5.00 EUR. By hand, the mismatches are: maker 1 EUR 42.50 in 6 events, maker 1 GBP 8.00 in 3
 * events, maker 2 EUR 5.00 in 3 events (each delta holds 3 events); the payouts: 20.00 and 0.
 */
@QuarkusTest
@QuarkusTestResource(
        value = FairshareTestResource.class,
        initArgs = @ResourceArg(name = "database", value = "settlement"))
class CurrencyMismatchTest {
    static final YearMonth SEPTEMBER = YearMonth.of(2022, 9);

    @Test
    void mismatchedRevenueIsListedShownAndCountedAtClose() {
        String s = UUID.randomUUID().toString().substring(0, 6);
        String maker1 = "cm-mk1-" + s;
        String maker2 = "cm-mk2-" + s;
        String platform = "cm-pf-" + s;
        String model1 = "cm-md1-" + s;
        String model2 = "cm-md2-" + s;
        RegistryRecords.makerPlatformModel(maker1, platform, model1);
        RegistryRecords.makerPlatformModel(maker2, platform, model2);
        for (String maker : List.of(maker1, maker2)) {
            RegistryRecords.agreement(
                    "cm-ag-" + maker,
                    maker,
                    platform,
                    null,
                    "2022-09-01",
                    "2022-10-01",
                    RegistryRecords.REVENUE_SHARE_20);
        }
        AuthMatrixTest.awaitRegistryReplica();
        usage(model1, platform, "2022-09-03", "100.00", "USD");
        usage(model1, platform, "2022-09-04", "30.00", "EUR");
        usage(model1, platform, "2022-09-20", "12.50", "EUR");
        usage(model1, platform, "2022-09-05", "8.00", "GBP");
        usage(model2, platform, "2022-09-07", "5.00", "EUR");

        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () -> {
                            JsonPath all = mismatches(Tokens.finance(), "platformId", platform);
                            assertThat(all.getInt("total")).isEqualTo(3);
                            assertThat(all.getLong("items[0].events")).isEqualTo(6);
                            assertThat(all.getLong("items[2].events")).isEqualTo(3);
                        });

        // finance sees all three, in platform, model, agreement, currency order
        JsonPath all = mismatches(Tokens.finance(), "platformId", platform);
        List<Map<String, Object>> items = all.getList("items");
        assertThat(items)
                .containsExactly(
                        row(platform, model1, maker1, "EUR", "42.5", 6),
                        row(platform, model1, maker1, "GBP", "8", 3),
                        row(platform, model2, maker2, "EUR", "5", 3));
        assertThat(mismatches(Tokens.finance(), "makerId", maker2).getList("items"))
                .containsExactly(row(platform, model2, maker2, "EUR", "5", 3));

        // a maker sees its own only, and may not ask for another's
        JsonPath own = mismatches(Tokens.maker(maker1), null, null);
        assertThat(own.getList("items"))
                .containsExactly(
                        row(platform, model1, maker1, "EUR", "42.5", 6),
                        row(platform, model1, maker1, "GBP", "8", 3));
        assertThat(mismatches(Tokens.maker(maker2), null, null).getList("items"))
                .containsExactly(row(platform, model2, maker2, "EUR", "5", 3));
        given().auth()
                .oauth2(Tokens.maker(maker2))
                .queryParam("makerId", maker1)
                .get("/currency-mismatches")
                .then()
                .statusCode(403)
                .body("code", equalTo("FORBIDDEN"));

        // the platform sees its own, another platform nothing of it
        assertThat(mismatches(Tokens.platform(platform), null, null).getInt("total")).isEqualTo(3);
        assertThat(mismatches(Tokens.platform("cm-other-" + s), null, null).getList("items"))
                .isEmpty();
        given().auth()
                .oauth2(Tokens.finance())
                .queryParam("period", "2022-9")
                .get("/currency-mismatches")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("code", equalTo("INVALID_PERIOD"))
                .body("errors[0].field", equalTo("period"));

        // the mismatched revenue is not rated: maker 1 earns 20% of the USD revenue only
        JsonPath payouts =
                given().auth()
                        .oauth2(Tokens.finance())
                        .get("/payouts/" + SEPTEMBER)
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath();
        assertThat(amount(payouts, maker1)).isEqualTo("20.00");
        assertThat(amount(payouts, maker2)).isNull();

        // the finance view of September lists them; the maker view each maker's own
        given().cookie("fairshare_token", Tokens.finance())
                .get("/dashboard/finance?period=" + SEPTEMBER)
                .then()
                .statusCode(200)
                .body(containsString(rowId(platform, model1, "EUR")))
                .body(containsString(rowId(platform, model1, "GBP")))
                .body(containsString(rowId(platform, model2, "EUR")))
                .body(containsString("€42.50"))
                .body(containsString("£8.00"));
        given().cookie("fairshare_token", Tokens.maker(maker1))
                .get("/dashboard/maker")
                .then()
                .statusCode(200)
                .body(containsString(rowId(platform, model1, "EUR")))
                .body(containsString(rowId(platform, model1, "GBP")))
                .body(not(containsString(rowId(platform, model2, "EUR"))));

        // the close counts the period's groups of mismatched usage
        Periods.closeOpenPeriodsBefore(SEPTEMBER);
        given().auth()
                .oauth2(Tokens.finance())
                .post("/periods/" + SEPTEMBER + "/close")
                .then()
                .statusCode(200)
                .body("currencyMismatches", equalTo(3))
                .body("payouts.find { it.makerId == '" + maker1 + "' }.amount", equalTo("20.00"));
        // and the list stays as it was once the period is closed
        assertThat(mismatches(Tokens.finance(), "platformId", platform).getList("items"))
                .isEqualTo(items);
    }

    private static void usage(
            String model, String platform, String day, String revenue, String currency) {
        send(
                "usage.attributed",
                model,
                delta(UUID.randomUUID() + "/" + model, model, platform, day, revenue, currency));
    }

    /** GET /currency-mismatches of September with the token, filtered by {@code param} if any. */
    private static JsonPath mismatches(String token, String param, String value) {
        var r = given().auth().oauth2(token).queryParam("period", SEPTEMBER.toString());
        if (param != null) {
            r = r.queryParam(param, value);
        }
        return r.get("/currency-mismatches").then().statusCode(200).extract().jsonPath();
    }

    private static Map<String, Object> row(
            String platform,
            String model,
            String maker,
            String currency,
            String revenue,
            int events) {
        return Map.of(
                "period",
                SEPTEMBER.toString(),
                "platformId",
                platform,
                "modelId",
                model,
                "makerId",
                maker,
                "agreementId",
                "cm-ag-" + maker,
                "agreementCurrency",
                "USD",
                "currency",
                currency,
                "revenue",
                revenue,
                "events",
                events);
    }

    private static String rowId(String platform, String model, String currency) {
        return "id=\"mismatch-" + SEPTEMBER + "-" + platform + "-" + model + "-" + currency + "\"";
    }
}
