package dev.fairshare.settlement;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
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
        return delta(deltaId, model, platform, day, revenue, "USD");
    }

    /**
     * A delta of one row: 3 COMMERCIAL events (3 requests) with {@code revenue} in {@code
     * currency}.
     */
    static String delta(
            String deltaId,
            String model,
            String platform,
            String day,
            String revenue,
            String currency) {
        return "{\"deltaId\":\""
                + deltaId
                + "\",\"batchId\":\"b\",\"modelId\":\""
                + model
                + "\",\"rows\":[{\"platformId\":\""
                + platform
                + "\",\"day\":\""
                + day
                + "\",\"customerType\":\"COMMERCIAL\",\"currency\":\""
                + currency
                + "\",\"events\":3,\"revenue\":\""
                + revenue
                + "\",\"units\":{\"requests\":\"3\"}}]}";
    }

    static String amount(JsonPath j, String maker) {
        return j.getString("items.find { it.makerId == '" + maker + "' }.amount");
    }

    final String s = UUID.randomUUID().toString().substring(0, 6);
    final String base = "base-" + s;
    final String derived = "derived-" + s;
    final String makerA = "maker-a-" + s;
    final String makerB = "maker-b-" + s;
    final String platform = "pf-" + s;

    @Test
    void payoutsCloseAndLateAdjustment() {
        marchUsageIsPayableAndInvoiced();
        marchClosesOnceAndOnlyWhenItMay();
        theStatementRoutesEachLine();
        theLedgerReconcilesWithInvoicesPayoutsAndTheCsv();
        lateMarchUsageIsSettledInApril();
        agreementChangeAndLateUsageAcrossATier(s, platform);
    }

    /**
     * A model derived from another, an agreement, and March's usage sent twice (applied once):
     * payable and invoiced.
     */
    private void marchUsageIsPayableAndInvoiced() {
        RegistryRecords.maker(makerA, "A");
        RegistryRecords.maker(makerB, "B");
        RegistryRecords.platform(platform, "P");
        RegistryRecords.model(base, makerA, "Base", "mit", true, null, null);
        RegistryRecords.model(derived, makerB, "Derived", "mit", true, base, "0.3");
        RegistryRecords.agreement(
                "ag-" + s,
                makerB,
                platform,
                null,
                "2025-01-01",
                null,
                RegistryRecords.REVENUE_SHARE_20);

        String d1 = UUID.randomUUID() + "/" + derived;
        send("usage.attributed", derived, delta(d1, derived, platform, "2025-03-10", "100.00"));
        send("usage.attributed", derived, delta(d1, derived, platform, "2025-03-10", "100.00"));

        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () -> {
                            JsonPath p =
                                    given().auth()
                                            .oauth2(Tokens.finance())
                                            .get("/payouts/2025-03")
                                            .then()
                                            .statusCode(200)
                                            .extract()
                                            .jsonPath();
                            assertThat(p.getString("status")).isEqualTo("OPEN");
                            assertThat(amount(p, makerA)).isEqualTo("6.00");
                            assertThat(amount(p, makerB)).isEqualTo("14.00");
                        });
        given().auth()
                .oauth2(Tokens.finance())
                .get("/invoices/2025-03")
                .then()
                .statusCode(200)
                .body(
                        "items.find { it.platformId == '" + platform + "' }.amount",
                        equalTo("20.00"));
    }

    /**
     * March closes once; the current month (grace period) and a month that does not exist are
     * refused.
     */
    private void marchClosesOnceAndOnlyWhenItMay() {
        // periods close in order: the months before March (every month from the first agreement
        // on is a period) first
        Periods.closeOpenPeriodsBefore(YearMonth.of(2025, 3));
        given().auth()
                .oauth2(Tokens.finance())
                .post("/periods/2025-03/close")
                .then()
                .statusCode(200)
                .body("status", equalTo("CLOSED"))
                .body("lines", equalTo(2))
                .body(
                        "invoices.find { it.platformId == '" + platform + "' }.amount",
                        equalTo("20.00"));
        given().auth()
                .oauth2(Tokens.finance())
                .post("/periods/2025-03/close")
                .then()
                .statusCode(409)
                .body("code", equalTo("PERIOD_CLOSED"));
        String current = YearMonth.now(ZoneOffset.UTC).toString();
        given().auth()
                .oauth2(Tokens.finance())
                .post("/periods/" + current + "/close")
                .then()
                .statusCode(409)
                .body("code", equalTo("GRACE_PERIOD_NOT_OVER"));
        given().auth()
                .oauth2(Tokens.finance())
                .post("/periods/2025-13/close")
                .then()
                .statusCode(400)
                .body("code", equalTo("INVALID_PERIOD"));
    }

    /** March's statement: the royalty and the upstream royalty, each with its route. */
    private void theStatementRoutesEachLine() {
        JsonPath statement =
                given().auth()
                        .oauth2(Tokens.finance())
                        .queryParam("platformId", platform)
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
        // the stored route of each line, from the source to the receiver
        assertThat(statement.getList("items.find { it.kind == 'UPSTREAM_ROYALTY' }.path"))
                .containsExactly(derived, base);
        assertThat(statement.getList("items.find { it.kind == 'ROYALTY' }.path"))
                .containsExactly(derived);
    }

    /** The close's journal entry, the balances and the settlement CSV agree. */
    private void theLedgerReconcilesWithInvoicesPayoutsAndTheCsv() {
        // the close posted a balanced journal entry that reconciles with invoices, payouts and the
        // CSV
        JsonPath ledger =
                given().auth()
                        .oauth2(Tokens.finance())
                        .get("/ledger/2025-03")
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath();
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
                given().auth()
                        .oauth2(Tokens.finance())
                        .get("/ledger/balances")
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath();
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
                given().auth()
                        .oauth2(Tokens.finance())
                        .get("/reports/2025-03/settlement.csv")
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
                        "period,platformId,makerId,modelId,sourceModelId,agreementId,kind,customerType,basis,amount,currency,adjustsPeriod,path\r\n");
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
        assertThat(
                        mine.stream()
                                .filter(r -> r.get("makerId").equals(makerA))
                                .findFirst()
                                .orElseThrow()
                                .get("path"))
                .isEqualTo(derived + ">" + base);
        given().auth()
                .oauth2(Tokens.finance())
                .get("/ledger/balances?asOf=yesterday")
                .then()
                .statusCode(400)
                .body("code", equalTo("INVALID_VALUE"));
    }

    /** Late usage for the closed March: the March statement does not change; April settles it. */
    private void lateMarchUsageIsSettledInApril() {
        // late usage for the closed March: the March statement does not change; April settles it
        send(
                "usage.attributed",
                derived,
                delta(UUID.randomUUID() + "/" + derived, derived, platform, "2025-03-20", "10.00"));
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () -> {
                            JsonPath april =
                                    given().auth()
                                            .oauth2(Tokens.finance())
                                            .queryParam("platformId", platform)
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
        JsonPath march =
                given().auth()
                        .oauth2(Tokens.finance())
                        .get("/payouts/2025-03")
                        .then()
                        .extract()
                        .jsonPath();
        assertThat(march.getString("status")).isEqualTo("CLOSED");
        assertThat(amount(march, makerA)).isEqualTo("6.00");
        assertThat(amount(march, makerB)).isEqualTo("14.00");

        given().auth()
                .oauth2(Tokens.finance())
                .post("/periods/2025-04/close")
                .then()
                .statusCode(200)
                .body("lines", equalTo(2));
        JsonPath april =
                given().auth()
                        .oauth2(Tokens.finance())
                        .get("/payouts/2025-04")
                        .then()
                        .extract()
                        .jsonPath();
        assertThat(amount(april, makerA)).isEqualTo("0.60");
        assertThat(amount(april, makerB)).isEqualTo("1.40");
        assertThat(april.getInt("total")).isEqualTo(april.getList("items").size());
        given().auth()
                .oauth2(Tokens.finance())
                .get("/accruals")
                .then()
                .statusCode(200)
                .body("period", equalTo(YearMonth.now(ZoneOffset.UTC).toString()))
                .body("status", equalTo("OPEN"));
        given().auth()
                .oauth2(Tokens.finance())
                .get("/periods")
                .then()
                .statusCode(200)
                .body("find { it.period == '2025-03' }.status", equalTo("CLOSED"))
                .body("find { it.period == '2025-04' }.status", equalTo("CLOSED"));
    }

    /**
     * May 2025 (after March and April closed above): per-unit terms until the 15th, then a revenue
     * share, so the service must rate that model day by day; late usage then crosses a tier, twice.
     */
    private void agreementChangeAndLateUsageAcrossATier(String s, String platform) {
        String maker = "maker-c-" + s;
        String model = "solo-" + s;
        RegistryRecords.maker(maker, "C");
        RegistryRecords.model(model, maker, "Solo", "mit", true, null, null);
        RegistryRecords.agreement(
                "pu-" + s,
                maker,
                platform,
                model,
                "2025-05-01",
                "2025-05-15",
                "{\"type\":\"PER_UNIT\",\"metric\":\"requests\",\"unitSize\":\"1\","
                        + "\"tiers\":[{\"upTo\":\"10\",\"price\":\"1.00\"},{\"upTo\":null,\"price\":\"0.50\"}]}");
        RegistryRecords.agreement(
                "rs-" + s,
                maker,
                platform,
                model,
                "2025-05-15",
                null,
                "{\"type\":\"REVENUE_SHARE\",\"rate\":\"0.1\"}");
        // 3 requests a delta: 6 requests under the per-unit terms (6.00), 50.00 revenue at 10%
        // (5.00)
        for (String day : List.of("2025-05-10", "2025-05-11")) {
            send(
                    "usage.attributed",
                    model,
                    delta(UUID.randomUUID() + "/" + model, model, platform, day, "100.00"));
        }
        send(
                "usage.attributed",
                model,
                delta(UUID.randomUUID() + "/" + model, model, platform, "2025-05-20", "50.00"));
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () ->
                                assertThat(
                                                amount(
                                                        given().auth()
                                                                .oauth2(Tokens.finance())
                                                                .get("/payouts/2025-05")
                                                                .then()
                                                                .extract()
                                                                .jsonPath(),
                                                        maker))
                                        .isEqualTo("11.00"));
        given().auth()
                .oauth2(Tokens.finance())
                .post("/periods/2025-05/close")
                .then()
                .statusCode(200);

        // late: 6 settled + 3 + 3 = 12 requests: rate(12) - rate(6) = (10 + 1.00) - 6 = 5.00
        for (String day : List.of("2025-05-12", "2025-05-13")) {
            send(
                    "usage.attributed",
                    model,
                    delta(UUID.randomUUID() + "/" + model, model, platform, day, "1.00"));
        }
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () ->
                                assertThat(
                                                amount(
                                                        given().auth()
                                                                .oauth2(Tokens.finance())
                                                                .get("/payouts/2025-06")
                                                                .then()
                                                                .extract()
                                                                .jsonPath(),
                                                        maker))
                                        .isEqualTo("5.00"));
        given().auth()
                .oauth2(Tokens.finance())
                .post("/periods/2025-06/close")
                .then()
                .statusCode(200);
        JsonPath june =
                given().auth()
                        .oauth2(Tokens.finance())
                        .queryParam("makerId", maker)
                        .get("/statements/2025-06")
                        .then()
                        .extract()
                        .jsonPath();
        assertThat(june.getList("items.kind")).containsOnly("LATE_ADJUSTMENT");
        assertThat(june.getList("items.adjustsPeriod")).containsOnly("2025-05");
        assertThat(june.getList("items.agreementId")).containsOnly("pu-" + s);

        // once more, now from the 12 requests settled by May and June: 3 x 0.50 = 1.50 in July
        send(
                "usage.attributed",
                model,
                delta(UUID.randomUUID() + "/" + model, model, platform, "2025-05-14", "1.00"));
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () ->
                                assertThat(
                                                amount(
                                                        given().auth()
                                                                .oauth2(Tokens.finance())
                                                                .get("/payouts/2025-07")
                                                                .then()
                                                                .extract()
                                                                .jsonPath(),
                                                        maker))
                                        .isEqualTo("1.50"));
        assertThat(
                        amount(
                                given().auth()
                                        .oauth2(Tokens.finance())
                                        .get("/payouts/2025-05")
                                        .then()
                                        .extract()
                                        .jsonPath(),
                                maker))
                .isEqualTo("11.00");
        assertThat(
                        amount(
                                given().auth()
                                        .oauth2(Tokens.finance())
                                        .get("/payouts/2025-06")
                                        .then()
                                        .extract()
                                        .jsonPath(),
                                maker))
                .isEqualTo("5.00");
    }
}
