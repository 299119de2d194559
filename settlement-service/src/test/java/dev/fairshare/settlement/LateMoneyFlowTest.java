package dev.fairshare.settlement;

import static dev.fairshare.settlement.SettlementFlowTest.delta;
import static dev.fairshare.settlement.SettlementFlowTest.send;
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
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Late money through the service, worked by hand: a guarantee's top-up recouped by late usage
 * (July–September 2023, and under a derived model April–May 2023), and a licence signed after its
 * period closed (October–December 2023). Periods close in order and every month from the first
 * agreement on is one, in a database that the test classes share: the tests run in the order of
 * their months, each first closes the open months before its own, and each closes every month it
 * puts usage in, so later closes of other tests are not blocked.
 */
@QuarkusTest
@QuarkusTestResource(
        value = FairshareTestResource.class,
        initArgs = @ResourceArg(name = "database", value = "settlement"))
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LateMoneyFlowTest {

    /**
     * July guarantee 100.00, 20% of revenue: on time 300.00 → royalty 60.00 + top-up 40.00. Late
     * 150.00 → +30.00 and a recoupment of −30.00 in August (July still costs max(100, 90) = 100);
     * 150.00 more → +30.00 and −10.00 in September, what is left of the top-up (July now costs
     * max(100, 120) = 120).
     */
    @Test
    @Order(2)
    void lateUsageUnderAGuaranteeRecoupsTheTopUpAlreadyPaid() {
        Periods.closeOpenPeriodsBefore(YearMonth.of(2023, 7));
        String s = UUID.randomUUID().toString().substring(0, 6);
        String maker = "g-maker-" + s;
        String model = "g-model-" + s;
        String platform = "g-pf-" + s;
        RegistryRecords.maker(maker, "G");
        RegistryRecords.platform(platform, "P");
        RegistryRecords.model(model, maker, "G", "mit", true, null, null);
        RegistryRecords.agreement(
                "g-ag-" + s,
                maker,
                platform,
                model,
                "2023-07-01",
                "2023-08-01",
                RegistryRecords.REVENUE_SHARE_20,
                "100.00");
        send("usage.attributed", model, delta(id(model), model, platform, "2023-07-10", "300.00"));
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(payout("2023-07", maker)).isEqualTo("100.00"));
        JsonPath july = lines("2023-07", maker);
        assertThat(july.getList("items.kind"))
                .containsExactly("ROYALTY", "MINIMUM_GUARANTEE_TOPUP");
        assertThat(july.getList("items.amount")).containsExactly("60.00", "40.00");
        close("2023-07");

        send("usage.attributed", model, delta(id(model), model, platform, "2023-07-20", "150.00"));
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () ->
                                assertThat(lines("2023-08", maker).getList("items.kind"))
                                        .containsExactly(
                                                "LATE_ADJUSTMENT", "GUARANTEE_RECOUPMENT"));
        JsonPath august = lines("2023-08", maker);
        assertThat(august.getList("items.amount")).containsExactly("30.00", "-30.00");
        assertThat(august.getList("items.adjustsPeriod")).containsExactly("2023-07", "2023-07");
        assertThat(august.getList("items.path")).containsExactly(List.of(model), null);
        close("2023-08");
        assertThat(payout("2023-08", maker)).isEqualTo("0.00");
        // the closed statement, as stored, is what the estimate was
        JsonPath stored = lines("2023-08", maker);
        assertThat(stored.getString("status")).isEqualTo("CLOSED");
        assertThat(stored.getList("items.amount")).containsExactly("30.00", "-30.00");
        assertThat(stored.getList("items.path")).containsExactly(List.of(model), null);

        // a second late batch recoups only what is left of the top-up, read from the stored lines
        send("usage.attributed", model, delta(id(model), model, platform, "2023-07-21", "150.00"));
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () ->
                                assertThat(lines("2023-09", maker).getList("items.amount"))
                                        .containsExactly("30.00", "-10.00"));
        close("2023-09");
        BigDecimal julyInAll =
                new BigDecimal(payout("2023-07", maker))
                        .add(new BigDecimal(payout("2023-08", maker)))
                        .add(new BigDecimal(payout("2023-09", maker)));
        assertThat(julyInAll).isEqualByComparingTo("120.00");

        String csv =
                given().auth()
                        .oauth2(Tokens.finance())
                        .get("/reports/2023-08/settlement.csv")
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString();
        assertThat(csv)
                .startsWith(
                        "period,platformId,makerId,modelId,sourceModelId,agreementId,kind,"
                                + "customerType,basis,amount,currency,adjustsPeriod,path\r\n")
                .contains(
                        "2023-08,"
                                + platform
                                + ","
                                + maker
                                + ","
                                + model
                                + ","
                                + model
                                + ",g-ag-"
                                + s
                                + ",GUARANTEE_RECOUPMENT,,40,-30.00,USD,2023-07,\r\n");
    }

    /**
     * The same guarantee on a derived model q (its parent base takes 25%), April 2023: on time
     * 300.00 → q's maker 45.00 + top-up 40.00, base's maker 15.00. Late 150.00 in May: the hop to
     * base is paid (7.50), q's maker gets 22.50 and gives back 30.00 of the top-up: its net is
     * −7.50, debited to its account, and the platform owes nothing more.
     */
    @Test
    @Order(1)
    void underADerivedModelTheAgreementsMakerCarriesTheRecoupment() {
        Periods.closeOpenPeriodsBefore(YearMonth.of(2023, 4));
        String s = UUID.randomUUID().toString().substring(0, 6);
        String upstream = "d-up-" + s;
        String maker = "d-maker-" + s;
        String base = "d-base-" + s;
        String model = "d-q-" + s;
        String platform = "d-pf-" + s;
        RegistryRecords.maker(upstream, "U");
        RegistryRecords.maker(maker, "D");
        RegistryRecords.platform(platform, "P");
        RegistryRecords.model(base, upstream, "Base", "mit", true, null, null);
        RegistryRecords.model(model, maker, "Q", "mit", true, base, "0.25");
        RegistryRecords.agreement(
                "d-ag-" + s,
                maker,
                platform,
                model,
                "2023-04-01",
                "2023-05-01",
                RegistryRecords.REVENUE_SHARE_20,
                "100.00");
        send("usage.attributed", model, delta(id(model), model, platform, "2023-04-10", "300.00"));
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(payout("2023-04", maker)).isEqualTo("85.00"));
        assertThat(payout("2023-04", upstream)).isEqualTo("15.00");
        close("2023-04");

        send("usage.attributed", model, delta(id(model), model, platform, "2023-04-20", "150.00"));
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(payout("2023-05", maker)).isEqualTo("-7.50"));
        close("2023-05");
        assertThat(payout("2023-05", upstream)).isEqualTo("7.50");
        assertThat(payout("2023-05", maker)).isEqualTo("-7.50");
        JsonPath may = lines("2023-05", maker);
        assertThat(may.getList("items.kind"))
                .containsExactly("LATE_ADJUSTMENT", "GUARANTEE_RECOUPMENT");
        assertThat(may.getList("items.amount")).containsExactly("22.50", "-30.00");
        assertThat(lines("2023-05", upstream).getList("items.path"))
                .containsExactly(List.of(model, base));

        JsonPath ledger =
                given().auth()
                        .oauth2(Tokens.finance())
                        .get("/ledger/2023-05")
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath();
        String entry = "items.find { it.platformId == '" + platform + "' }";
        assertThat(ledger.getList(entry + ".lines.account"))
                .containsExactlyInAnyOrder(
                        "maker:" + maker + ":receivable", "maker:" + upstream + ":receivable");
        assertThat(
                        ledger.getString(
                                entry
                                        + ".lines.find { it.account == 'maker:"
                                        + maker
                                        + ":receivable' }.debit"))
                .isEqualTo("7.50");
        assertThat(
                        ledger.getString(
                                entry
                                        + ".lines.find { it.account == 'maker:"
                                        + upstream
                                        + ":receivable' }.credit"))
                .isEqualTo("7.50");
    }

    /**
     * October 2023 closes with a model's usage unlicensed (3 requests on the 5th, 3 on the 15th);
     * then a per-unit licence from the 10th is recorded (4 requests at 1.00, the rest at 0.50) and
     * 3 more requests of the 20th arrive. November pays the 15th's and the 20th's 6 requests from
     * tier position 0: 4 × 1.00 + 2 × 0.50 = 5.00 (not rate(6) − rate(3) = 2.00, as if the 15th had
     * been rated at the close). December pays 3 more of the 25th from position 6: 1.50. The October
     * report keeps the usage it had at the close, the licensed part marked.
     */
    @Test
    @Order(3)
    void aLicenceSignedLatePaysTheUsageItNewlyCoversAndKeepsTheReport() {
        Periods.closeOpenPeriodsBefore(YearMonth.of(2023, 10));
        String s = UUID.randomUUID().toString().substring(0, 6);
        String maker = "l-maker-" + s;
        String model = "l-model-" + s;
        String platform = "l-pf-" + s;
        RegistryRecords.maker(maker, "L");
        RegistryRecords.platform(platform, "P");
        RegistryRecords.model(model, maker, "L", "mit", true, null, null);
        send("usage.attributed", model, delta(id(model), model, platform, "2023-10-05", "1.00"));
        send("usage.attributed", model, delta(id(model), model, platform, "2023-10-15", "1.00"));
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () ->
                                assertThat(unlicensed(maker).getList("items.events"))
                                        .containsExactly(6));
        close("2023-10");

        RegistryRecords.agreement(
                "l-ag-" + s,
                maker,
                platform,
                model,
                "2023-10-10",
                "2024-01-01",
                "{\"type\":\"PER_UNIT\",\"metric\":\"requests\",\"unitSize\":\"1\","
                        + "\"tiers\":[{\"upTo\":\"4\",\"price\":\"1.00\"},{\"upTo\":null,\"price\":\"0.50\"}]}");
        send("usage.attributed", model, delta(id(model), model, platform, "2023-10-20", "1.00"));
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () ->
                                assertThat(lines("2023-11", maker).getList("items.amount"))
                                        .containsExactly("5.00"));
        JsonPath november = lines("2023-11", maker);
        assertThat(november.getList("items.kind")).containsExactly("LATE_ADJUSTMENT");
        assertThat(november.getList("items.adjustsPeriod")).containsExactly("2023-10");
        assertThat(november.getList("items.agreementId")).containsExactly("l-ag-" + s);
        assertThat(november.getList("items.basis")).containsExactly("6");

        // October's report: as at its close (6 requests unlicensed), the part now licensed marked
        List<Map<String, Object>> report = unlicensed(maker).getList("items");
        assertThat(report)
                .extracting(
                        r -> r.get("licensedLater"), r -> r.get("events"), r -> r.get("firstSeen"))
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(false, 3, "2023-10-05"),
                        org.assertj.core.groups.Tuple.tuple(true, 6, "2023-10-15"));
        close("2023-11");
        assertThat(payout("2023-11", maker)).isEqualTo("5.00");

        // later late usage continues from the tier position the licence's usage reached
        send("usage.attributed", model, delta(id(model), model, platform, "2023-10-25", "1.00"));
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () ->
                                assertThat(lines("2023-12", maker).getList("items.amount"))
                                        .containsExactly("1.50"));
        close("2023-12");
        assertThat(payout("2023-12", maker)).isEqualTo("1.50");
    }

    private static String id(String model) {
        return UUID.randomUUID() + "/" + model;
    }

    private static JsonPath lines(String period, String maker) {
        return given().auth()
                .oauth2(Tokens.finance())
                .queryParam("makerId", maker)
                .get("/statements/" + period)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    private static JsonPath unlicensed(String maker) {
        return given().auth()
                .oauth2(Tokens.finance())
                .queryParam("makerId", maker)
                .queryParam("period", "2023-10")
                .get("/unlicensed-usage")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    private static String payout(String period, String maker) {
        return given().auth()
                .oauth2(Tokens.finance())
                .queryParam("makerId", maker)
                .get("/payouts/" + period)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getString("items.find { it.makerId == '" + maker + "' }.amount");
    }

    private static void close(String period) {
        given().auth()
                .oauth2(Tokens.finance())
                .queryParam("force", true)
                .post("/periods/" + period + "/close")
                .then()
                .statusCode(200)
                .body("status", equalTo("CLOSED"));
    }
}
