package dev.fairshare.settlement;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.fairshare.localstack.FairshareTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Usage deltas through the real broker to payouts, a close, and a late adjustment. */
@QuarkusTest
@QuarkusTestResource(
        value = FairshareTestResource.class,
        initArgs = @ResourceArg(name = "database", value = "settlement"))
class SettlementFlowTest {

    static void send(String topic, String key, String value) {
        FairshareTestResource.infrastructure().broker().send(topic, key, value);
    }

    static String delta(String deltaId, String model, String platform, String day, String revenue) {
        return "{\"deltaId\":\""
                + deltaId
                + "\",\"batchId\":\"b\",\"modelId\":\""
                + model
                + "\",\"rows\":[{\"platformId\":\""
                + platform
                + "\",\"day\":\""
                + day
                + "\",\"customerType\":\"COMMERCIAL\",\"currency\":\"USD\",\"events\":3,\"revenue\":\""
                + revenue
                + "\",\"units\":{\"requests\":\"3\"}}]}";
    }

    static String amount(JsonPath j, String maker) {
        return j.getString("items.find { it.makerId == '" + maker + "' }.amount");
    }

    @Test
    void payoutsCloseAndLateAdjustment() {
        String s = UUID.randomUUID().toString().substring(0, 6);
        String base = "base-" + s;
        String derived = "derived-" + s;
        String makerA = "maker-a-" + s;
        String makerB = "maker-b-" + s;
        String platform = "pf-" + s;
        send("registry.makers", makerA, "{\"id\":\"" + makerA + "\",\"name\":\"A\"}");
        send("registry.makers", makerB, "{\"id\":\"" + makerB + "\",\"name\":\"B\"}");
        send("registry.platforms", platform, "{\"id\":\"" + platform + "\",\"name\":\"P\"}");
        send(
                "registry.models",
                base,
                "{\"id\":\""
                        + base
                        + "\",\"makerId\":\""
                        + makerA
                        + "\",\"name\":\"Base\","
                        + "\"license\":{\"id\":\"mit\",\"commercialUse\":true},\"parents\":[],\"aliases\":[]}");
        send(
                "registry.models",
                derived,
                "{\"id\":\""
                        + derived
                        + "\",\"makerId\":\""
                        + makerB
                        + "\",\"name\":\"Derived\","
                        + "\"license\":{\"id\":\"mit\",\"commercialUse\":true},\"parents\":[{\"modelId\":\""
                        + base
                        + "\",\"royaltyShare\":\"0.3\"}],\"aliases\":[]}");
        send(
                "registry.agreements",
                "ag-" + s,
                "{\"id\":\"ag-"
                        + s
                        + "\",\"makerId\":\""
                        + makerB
                        + "\",\"platformId\":\""
                        + platform
                        + "\",\"modelId\":null,\"currency\":\"USD\",\"validFrom\":\"2025-01-01T00:00:00Z\",\"validTo\":null,"
                        + "\"terms\":{\"type\":\"REVENUE_SHARE\",\"rate\":\"0.2\"},\"minimumGuarantee\":null}");

        String d1 = UUID.randomUUID() + "/" + derived;
        send("usage.attributed", derived, delta(d1, derived, platform, "2025-03-10", "100.00"));
        send("usage.attributed", derived, delta(d1, derived, platform, "2025-03-10", "100.00"));

        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () -> {
                            JsonPath p =
                                    given().get("/payouts/2025-03")
                                            .then()
                                            .statusCode(200)
                                            .extract()
                                            .jsonPath();
                            assertThat(p.getString("status")).isEqualTo("OPEN");
                            assertThat(amount(p, makerA)).isEqualTo("6.00");
                            assertThat(amount(p, makerB)).isEqualTo("14.00");
                        });
        given().get("/invoices/2025-03")
                .then()
                .statusCode(200)
                .body(
                        "items.find { it.platformId == '" + platform + "' }.amount",
                        equalTo("20.00"));

        given().post("/periods/2025-03/close")
                .then()
                .statusCode(200)
                .body("status", equalTo("CLOSED"))
                .body("lines", equalTo(2))
                .body(
                        "invoices.find { it.platformId == '" + platform + "' }.amount",
                        equalTo("20.00"));
        given().post("/periods/2025-03/close")
                .then()
                .statusCode(409)
                .body("code", equalTo("PERIOD_CLOSED"));
        String current = YearMonth.now(ZoneOffset.UTC).toString();
        given().post("/periods/" + current + "/close")
                .then()
                .statusCode(409)
                .body("code", equalTo("GRACE_PERIOD_NOT_OVER"));
        given().post("/periods/2025-13/close")
                .then()
                .statusCode(400)
                .body("code", equalTo("INVALID_PERIOD"));

        JsonPath statement =
                given().queryParam("platformId", platform)
                        .get("/statements/2025-03")
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath();
        assertThat(statement.getList("items.kind"))
                .containsExactlyInAnyOrder("ROYALTY", "UPSTREAM_ROYALTY");
        assertThat(
                        statement.getString(
                                "items.find { it.kind == 'UPSTREAM_ROYALTY' }.sourceModelId"))
                .isEqualTo(derived);
        assertThat(statement.getString("items.find { it.kind == 'UPSTREAM_ROYALTY' }.makerId"))
                .isEqualTo(makerA);

        // the close posted a balanced journal entry that reconciles with invoices, payouts and the
        // CSV
        JsonPath ledger =
                given().get("/ledger/2025-03").then().statusCode(200).extract().jsonPath();
        String entry = "items.find { it.platformId == '" + platform + "' }";
        assertThat(ledger.getString(entry + ".currency")).isEqualTo("USD");
        assertThat(
                        ledger.getString(
                                entry
                                        + ".lines.find { it.account == 'platform:"
                                        + platform
                                        + ":payable' }.debit"))
                .isEqualTo("20.00");
        assertThat(
                        ledger.getString(
                                entry
                                        + ".lines.find { it.account == 'maker:"
                                        + makerA
                                        + ":receivable' }.credit"))
                .isEqualTo("6.00");
        assertThat(
                        ledger.getString(
                                entry
                                        + ".lines.find { it.account == 'maker:"
                                        + makerB
                                        + ":receivable' }.credit"))
                .isEqualTo("14.00");
        JsonPath balances =
                given().get("/ledger/balances").then().statusCode(200).extract().jsonPath();
        assertThat(
                        balances.getString(
                                "items.find { it.account == 'platform:"
                                        + platform
                                        + ":payable' }.balance"))
                .isEqualTo("-20.00");
        assertThat(
                        balances.getString(
                                "items.find { it.account == 'maker:"
                                        + makerA
                                        + ":receivable' }.balance"))
                .isEqualTo("6.00");
        String csv =
                given().get("/reports/2025-03/settlement.csv")
                        .then()
                        .statusCode(200)
                        .contentType(org.hamcrest.Matchers.startsWith("text/csv"))
                        .extract()
                        .asString();
        java.util.List<org.apache.commons.csv.CSVRecord> rows;
        try {
            rows =
                    org.apache.commons.csv.CSVFormat.RFC4180
                            .builder()
                            .setHeader()
                            .setSkipHeaderRecord(true)
                            .get()
                            .parse(new java.io.StringReader(csv))
                            .getRecords();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        assertThat(csv)
                .startsWith(
                        "period,platformId,makerId,modelId,sourceModelId,agreementId,kind,customerType,basis,amount,currency,adjustsPeriod\r\n");
        List<org.apache.commons.csv.CSVRecord> mine =
                rows.stream().filter(r -> r.get("platformId").equals(platform)).toList();
        assertThat(mine).hasSize(2);
        assertThat(
                        mine.stream()
                                .map(r -> new BigDecimal(r.get("amount")))
                                .reduce(BigDecimal.ZERO, BigDecimal::add))
                .isEqualByComparingTo("20.00");
        assertThat(
                        mine.stream()
                                .filter(r -> r.get("makerId").equals(makerA))
                                .findFirst()
                                .orElseThrow()
                                .get("kind"))
                .isEqualTo("UPSTREAM_ROYALTY");
        given().get("/ledger/balances?asOf=yesterday")
                .then()
                .statusCode(400)
                .body("code", equalTo("INVALID_VALUE"));

        // late usage for the closed March: the March statement does not change; April settles it
        send(
                "usage.attributed",
                derived,
                delta(UUID.randomUUID() + "/" + derived, derived, platform, "2025-03-20", "10.00"));
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () -> {
                            JsonPath april =
                                    given().queryParam("platformId", platform)
                                            .get("/statements/2025-04")
                                            .then()
                                            .statusCode(200)
                                            .extract()
                                            .jsonPath();
                            List<Map<String, Object>> late =
                                    april.getList("items.findAll { it.kind == 'LATE_ADJUSTMENT' }");
                            assertThat(late).hasSize(2);
                            assertThat(late)
                                    .allSatisfy(
                                            l ->
                                                    assertThat(l.get("adjustsPeriod"))
                                                            .isEqualTo("2025-03"));
                            assertThat(
                                            new BigDecimal(
                                                    april.getString(
                                                            "items.find { it.makerId == '"
                                                                    + makerA
                                                                    + "' }.amount")))
                                    .isEqualByComparingTo("0.60");
                            assertThat(
                                            new BigDecimal(
                                                    april.getString(
                                                            "items.find { it.makerId == '"
                                                                    + makerB
                                                                    + "' }.amount")))
                                    .isEqualByComparingTo("1.40");
                        });
        JsonPath march = given().get("/payouts/2025-03").then().extract().jsonPath();
        assertThat(march.getString("status")).isEqualTo("CLOSED");
        assertThat(amount(march, makerA)).isEqualTo("6.00");
        assertThat(amount(march, makerB)).isEqualTo("14.00");

        given().post("/periods/2025-04/close").then().statusCode(200).body("lines", equalTo(2));
        JsonPath april = given().get("/payouts/2025-04").then().extract().jsonPath();
        assertThat(amount(april, makerA)).isEqualTo("0.60");
        assertThat(amount(april, makerB)).isEqualTo("1.40");
        assertThat(april.getInt("total")).isEqualTo(april.getList("items").size());
        given().get("/accruals")
                .then()
                .statusCode(200)
                .body("period", equalTo(YearMonth.now(ZoneOffset.UTC).toString()))
                .body("status", equalTo("OPEN"));
        given().get("/periods")
                .then()
                .statusCode(200)
                .body("find { it.period == '2025-03' }.status", equalTo("CLOSED"))
                .body("find { it.period == '2025-04' }.status", equalTo("CLOSED"));
    }
}
