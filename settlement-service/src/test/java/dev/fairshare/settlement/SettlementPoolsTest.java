package dev.fairshare.settlement;

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
import java.time.Duration;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Revenue pools through the service, the worked example of issue 23 by hand: in October 2025 two
 * subscription platforms report the same pooled usage (s1 used A 90 times; s2 used B 10 times; s3
 * used A 5 and C 15 times; 120 requests) and declare a pool of 1,000.00 USD, makers' share 0.50
 * (500.00 to share), metric requests: one PRO_RATA, one USER_CENTRIC. A and B have POOL_SHARE
 * agreements on both, C has none. Then s2 uses B 30 more times after October closed, and November
 * settles the differences.
 *
 * <p>The test classes share one database, and periods close in order: this class closes 2025-10 and
 * 2025-11, after SettlementFlowTest's months (it runs after it, by name) and before any later month
 * another class closes.
 */
@QuarkusTest
@QuarkusTestResource(
        value = FairshareTestResource.class,
        initArgs = @ResourceArg(name = "database", value = "settlement"))
class SettlementPoolsTest {
    static final YearMonth OCTOBER = YearMonth.of(2025, 10);
    static final YearMonth NOVEMBER = YearMonth.of(2025, 11);

    final String s = UUID.randomUUID().toString().substring(0, 6);
    final String makerA = "pool-mk-a-" + s;
    final String makerB = "pool-mk-b-" + s;
    final String makerC = "pool-mk-c-" + s;
    final String a = "pool-a-" + s;
    final String b = "pool-b-" + s;
    final String c = "pool-c-" + s;
    final String proRata = "pool-pr-" + s;
    final String userCentric = "pool-uc-" + s;
    final String missing = "pool-miss-" + s;
    final String s1 = "subscriber-one-" + s;
    final String s2 = "subscriber-two-" + s;
    final String s3 = "subscriber-three-" + s;

    /** A row of pooled usage: {@code requests} events of a subscriber, on 2025-10-14 or later. */
    record Use(String platform, String subscriber, int requests, String day) {}

    static String pooledDelta(String model, List<Use> uses) {
        StringBuilder rows = new StringBuilder();
        for (Use u : uses) {
            if (rows.length() > 0) {
                rows.append(',');
            }
            rows.append("{\"platformId\":\"")
                    .append(u.platform())
                    .append("\",\"day\":\"")
                    .append(u.day())
                    .append("\",\"customerType\":\"COMMERCIAL\",\"currency\":\"USD\",")
                    .append("\"subscriberId\":\"")
                    .append(u.subscriber())
                    .append("\",\"events\":")
                    .append(u.requests())
                    .append(",\"revenue\":\"0\",\"units\":{\"requests\":\"")
                    .append(u.requests())
                    .append("\"}}");
        }
        return "{\"deltaId\":\""
                + UUID.randomUUID()
                + "/"
                + model
                + "\",\"batchId\":\"b\",\"modelId\":\""
                + model
                + "\",\"rows\":["
                + rows
                + "]}";
    }

    static String pool(String platform, String period, String revenue, String method) {
        return "{\"platformId\":\""
                + platform
                + "\",\"period\":\""
                + period
                + "\",\"currency\":\"USD\",\"revenue\":\""
                + revenue
                + "\",\"makerShare\":\"0.50\",\"metric\":\"requests\",\"method\":\""
                + method
                + "\"}";
    }

    static io.restassured.response.Response declare(String token, String body) {
        return given().auth()
                .oauth2(token)
                .contentType("application/json")
                .body(body)
                .post("/pools");
    }

    static JsonPath pools(String platform, YearMonth period) {
        return given().auth()
                .oauth2(Tokens.finance())
                .queryParam("platformId", platform)
                .queryParam("period", period.toString())
                .get("/pools")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    static JsonPath lines(YearMonth period, String platform) {
        return given().auth()
                .oauth2(Tokens.finance())
                .queryParam("platformId", platform)
                .get("/statements/" + period)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    static String invoice(YearMonth period, String platform) {
        return given().auth()
                .oauth2(Tokens.platform(platform))
                .get("/invoices/" + period)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getString("items.find { it.platformId == '" + platform + "' }.amount");
    }

    static io.restassured.response.Response close(YearMonth period) {
        return given().auth()
                .oauth2(Tokens.finance())
                .queryParam("force", true)
                .post("/periods/" + period + "/close");
    }

    /**
     * One scenario, step by step: each step reads what the steps before it did (October's pools
     * declared, October closed, November's late adjustments), so the steps are not tests of their
     * own.
     */
    @Test
    void theWorkedExampleForBothMethodsThenLateUsage() {
        Periods.closeOpenPeriodsBefore(OCTOBER);
        registerMakersModelsAndPoolShareAgreements();
        sendOctobersPooledUsage();
        declareOctobersPools();
        awaitEveryDeltaApplied();
        proRataSplitsByTheMetric();
        userCentricSplitsBySubscriber();
        theUnlicensedModelsMakerSeesWhatItWouldHaveEarned();
        octoberClosesOnceEveryPooledPlatformDeclaredItsPool();
        aClosedPeriodsPoolIsFinal();
        lateUsageSettlesTheProRataDifferencesInNovember();
        thePoolCountsTheLateUsage();
        noSubscriberInStatementsNorTheCsv();
        makerAsStatementHoldsItsPoolRoyalties();
        theMakersDashboardsShowPoolEarnings();
        theFinanceDashboardShowsEachPoolsSplit();
        aMakerNeverReadsAPool();
    }

    /**
     * The three makers and models, the three platforms, and POOL_SHARE agreements of A and B on the
     * two pool platforms (C has none).
     */
    private void registerMakersModelsAndPoolShareAgreements() {
        RegistryRecords.maker(makerA, "A");
        RegistryRecords.maker(makerB, "B");
        RegistryRecords.maker(makerC, "C");
        for (String platform : List.of(proRata, userCentric, missing)) {
            RegistryRecords.platform(platform, "Subscriptions " + platform);
        }
        RegistryRecords.model(a, makerA, "A", "mit", true, null, null);
        RegistryRecords.model(b, makerB, "B", "mit", true, null, null);
        RegistryRecords.model(c, makerC, "C", "mit", true, null, null);
        for (String platform : List.of(proRata, userCentric)) {
            RegistryRecords.agreement(
                    "pool-ag-a-" + platform,
                    makerA,
                    platform,
                    a,
                    "2025-10-01",
                    null,
                    "{\"type\":\"POOL_SHARE\"}");
            RegistryRecords.agreement(
                    "pool-ag-b-" + platform,
                    makerB,
                    platform,
                    b,
                    "2025-10-01",
                    null,
                    "{\"type\":\"POOL_SHARE\"}");
        }
    }

    /**
     * October's pooled usage on both pool platforms: s1 used A 90 times, s2 used B 10 times, s3
     * used A 5 and C 15 times; and s1 used A once on a third platform.
     */
    private void sendOctobersPooledUsage() {
        String day = "2025-10-14";
        // A's delta also carries a row of a third platform: applied with the others, at once
        send(
                "usage.attributed",
                a,
                pooledDelta(
                        a,
                        List.of(
                                new Use(proRata, s1, 90, day),
                                new Use(proRata, s3, 5, day),
                                new Use(userCentric, s1, 90, day),
                                new Use(userCentric, s3, 5, day),
                                new Use(missing, s1, 1, day))));
        send(
                "usage.attributed",
                b,
                pooledDelta(
                        b,
                        List.of(new Use(proRata, s2, 10, day), new Use(userCentric, s2, 10, day))));
        send(
                "usage.attributed",
                c,
                pooledDelta(
                        c,
                        List.of(new Use(proRata, s3, 15, day), new Use(userCentric, s3, 15, day))));
    }

    /** Both platforms declare October's pool of 1,000.00 USD, and nobody else's. */
    private void declareOctobersPools() {
        // the platform declares for itself; an ADMIN declared the user-centric platform's pool
        // first, and the platform replaced it: the replaced declaration is kept
        // (retried until the registry replica knows the platforms: 422 UNKNOWN_PLATFORM before)
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () ->
                                declare(
                                                Tokens.platform(proRata),
                                                pool(proRata, "2025-10", "1000.00", "PRO_RATA"))
                                        .then()
                                        .statusCode(201));
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () ->
                                declare(
                                                Tokens.admin(),
                                                pool(userCentric, "2025-10", "1.00", "PRO_RATA"))
                                        .then()
                                        .statusCode(201));
        declare(
                        Tokens.platform(userCentric),
                        pool(userCentric, "2025-10", "1000.00", "USER_CENTRIC"))
                .then()
                .statusCode(201)
                .header(
                        "Location",
                        org.hamcrest.Matchers.endsWith(
                                "/pools?platformId=" + userCentric + "&period=2025-10"))
                .body("method", equalTo("USER_CENTRIC"))
                .body("declaredBy", equalTo("platform-" + userCentric))
                .body("history.size()", equalTo(1))
                .body("history[0].method", equalTo("PRO_RATA"))
                .body("history[0].revenue", equalTo("1"))
                .body("history[0].declaredBy", equalTo("test-admin"))
                .body("history[0].replacedBy", equalTo("platform-" + userCentric));
        // a platform never declares another's pool
        declare(Tokens.platform(proRata), pool(userCentric, "2025-10", "5.00", "PRO_RATA"))
                .then()
                .statusCode(403)
                .body("code", equalTo("FORBIDDEN"));
    }

    private void awaitEveryDeltaApplied() {
        // every delta applied: 120 requests on each platform
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () -> {
                            for (String platform : List.of(proRata, userCentric)) {
                                JsonPath p = pools(platform, OCTOBER);
                                assertThat(p.getList("items[0].split.models.volume"))
                                        .containsExactlyInAnyOrder("95", "10", "15");
                            }
                        });
    }

    private void proRataSplitsByTheMetric() {
        // PRO_RATA: A 95/120 × 500 = 395.8333…, B 41.6666…, C 62.50 unpaid
        JsonPath pr = pools(proRata, OCTOBER);
        assertThat(pr.getString("items[0].split.toMakers")).isEqualTo("500.00");
        assertThat(pr.getString("items[0].split.paid")).isEqualTo("437.50");
        assertThat(pr.getString("items[0].split.unpaid")).isEqualTo("62.50");
        assertThat(pr.getString("items[0].split.models.find { it.modelId == '" + c + "' }.amount"))
                .isEqualTo("62.50");
        assertThat(pr.getBoolean("items[0].split.models.find { it.modelId == '" + c + "' }.paid"))
                .isFalse();
        JsonPath octoberPr = lines(OCTOBER, proRata);
        assertThat(octoberPr.getList("items.kind")).containsExactly("POOL_ROYALTY", "POOL_ROYALTY");
        assertThat(octoberPr.getList("items.modelId")).containsExactly(a, b);
        assertThat(octoberPr.getList("items.amount")).containsExactly("395.83", "41.67");
        assertThat(invoice(OCTOBER, proRata)).isEqualTo("437.50");
    }

    private void userCentricSplitsBySubscriber() {
        // USER_CENTRIC: 166.6666… per subscriber; A s1's + 5/20 of s3's = 208.3333…, B s2's
        // 166.6666…, C 15/20 of s3's = 125.00 unpaid; the cent of 374.9999… goes to B
        JsonPath octoberUc = lines(OCTOBER, userCentric);
        assertThat(octoberUc.getList("items.modelId")).containsExactly(a, b);
        assertThat(octoberUc.getList("items.amount")).containsExactly("208.33", "166.67");
        assertThat(invoice(OCTOBER, userCentric)).isEqualTo("375.00");
    }

    private void theUnlicensedModelsMakerSeesWhatItWouldHaveEarned() {
        // C's maker sees what C would have earned, and no subscriber
        String unlicensed =
                given().auth()
                        .oauth2(Tokens.maker(makerC))
                        .queryParam("period", "2025-10")
                        .get("/unlicensed-usage")
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString();
        JsonPath u = JsonPath.from(unlicensed);
        assertThat(u.getString("items.find { it.platformId == '" + proRata + "' }.wouldHaveEarned"))
                .isEqualTo("62.50");
        assertThat(
                        u.getString(
                                "items.find { it.platformId == '"
                                        + userCentric
                                        + "' }.wouldHaveEarned"))
                .isEqualTo("125.00");
        assertThat(u.getInt("items.find { it.platformId == '" + proRata + "' }.events"))
                .isEqualTo(15);
        assertNoSubscriber(unlicensed);
    }

    private void octoberClosesOnceEveryPooledPlatformDeclaredItsPool() {
        // the third platform reported pooled usage and declared no pool: the close is refused
        close(OCTOBER)
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("code", equalTo("POOL_MISSING"))
                .body("errors.size()", equalTo(1))
                .body("errors[0].field", equalTo("platformId"))
                .body("errors[0].code", equalTo("POOL_MISSING"))
                .body("detail", org.hamcrest.Matchers.containsString(missing));
        assertThat(Periods.status(OCTOBER)).isEqualTo("OPEN");
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () ->
                                declare(Tokens.admin(), pool(missing, "2025-10", "0", "PRO_RATA"))
                                        .then()
                                        .statusCode(201));
        close(OCTOBER).then().statusCode(200).body("status", equalTo("CLOSED"));
        assertThat(lines(OCTOBER, proRata).getList("items.amount"))
                .containsExactly("395.83", "41.67");
        assertThat(lines(OCTOBER, userCentric).getList("items.amount"))
                .containsExactly("208.33", "166.67");
    }

    private void aClosedPeriodsPoolIsFinal() {
        // a closed period's pool is final
        declare(Tokens.platform(proRata), pool(proRata, "2025-10", "2000.00", "PRO_RATA"))
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("code", equalTo("PERIOD_CLOSED"));
    }

    private void lateUsageSettlesTheProRataDifferencesInNovember() {
        // s2 uses B 30 more times on both platforms after the close. PRO_RATA re-run over 150
        // requests: A 95/150 × 500 = 316.6666… (−79.1666…), B 40/150 × 500 = 133.3333…
        // (+91.6666…), C 50.00 (was 62.50). November settles −79.1666… and +91.6666…: 12.50 in
        // all, the cent to B's larger remainder: A −79.17, B +91.67. USER_CENTRIC: s2's part
        // still goes wholly to B, so nothing changes and November has no line.
        send(
                "usage.attributed",
                b,
                pooledDelta(
                        b,
                        List.of(
                                new Use(proRata, s2, 30, "2025-10-20"),
                                new Use(userCentric, s2, 30, "2025-10-20"))));
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () ->
                                assertThat(lines(NOVEMBER, proRata).getList("items.amount"))
                                        .containsExactly("-79.17", "91.67"));
        JsonPath novemberPr = lines(NOVEMBER, proRata);
        assertThat(novemberPr.getList("items.kind"))
                .containsExactly("LATE_ADJUSTMENT", "LATE_ADJUSTMENT");
        assertThat(novemberPr.getList("items.modelId")).containsExactly(a, b);
        assertThat(novemberPr.getList("items.adjustsPeriod")).containsExactly("2025-10", "2025-10");
        assertThat(lines(NOVEMBER, userCentric).getList("items")).isEmpty();
        close(NOVEMBER).then().statusCode(200);
        assertThat(lines(NOVEMBER, proRata).getList("items.amount"))
                .containsExactly("-79.17", "91.67");
        assertThat(invoice(NOVEMBER, proRata)).isEqualTo("12.50");
    }

    private void thePoolCountsTheLateUsage() {
        // the pool as it stands now counts the late usage: C's unpaid part is 50.00
        assertThat(pools(proRata, OCTOBER).getString("items[0].split.unpaid")).isEqualTo("50.00");
        assertThat(pools(proRata, OCTOBER).getString("items[0].status")).isEqualTo("CLOSED");
    }

    private void noSubscriberInStatementsNorTheCsv() {
        // no subscriber in a maker's statements, nor in the settlement CSV
        for (YearMonth period : List.of(OCTOBER, NOVEMBER)) {
            for (String maker : List.of(makerA, makerB, makerC)) {
                assertNoSubscriber(
                        given().auth()
                                .oauth2(Tokens.maker(maker))
                                .get("/statements/" + period)
                                .then()
                                .statusCode(200)
                                .extract()
                                .asString());
            }
            String csv =
                    given().auth()
                            .oauth2(Tokens.finance())
                            .get("/reports/" + period + "/settlement.csv")
                            .then()
                            .statusCode(200)
                            .extract()
                            .asString();
            assertThat(csv).contains(proRata);
            assertNoSubscriber(csv);
        }
    }

    private void makerAsStatementHoldsItsPoolRoyalties() {
        String makerStatement =
                given().auth()
                        .oauth2(Tokens.maker(makerA))
                        .get("/statements/2025-10")
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString();
        assertThat(JsonPath.from(makerStatement).getList("items.amount"))
                .containsExactly("395.83", "208.33");
    }

    private void theMakersDashboardsShowPoolEarnings() {
        // the dashboards: the maker's pool earnings per period, platform and method (October's
        // pool royalties; November's late adjustment of the pro-rata pool), no subscriber
        String makerPage =
                given().cookie("fairshare_token", Tokens.maker(makerA))
                        .get("/dashboard/maker?period=2025-10")
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString();
        assertThat(makerPage)
                .contains("id=\"pool-2025-10-" + proRata + "-USD\">$395.83<")
                .contains("id=\"pool-2025-10-" + userCentric + "-USD\">$208.33<")
                .contains("id=\"pool-2025-11-" + proRata + "-USD\">-$79.17<");
        assertNoSubscriber(makerPage);
        String makerCPage =
                given().cookie("fairshare_token", Tokens.maker(makerC))
                        .get("/dashboard/maker")
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString();
        assertThat(makerCPage).contains("Would have earned").contains("$125.00");
        assertNoSubscriber(makerCPage);
    }

    private void theFinanceDashboardShowsEachPoolsSplit() {
        // finance: each pool of the period, its split and its unpaid part
        String financePage =
                given().cookie("fairshare_token", Tokens.finance())
                        .get("/dashboard/finance?period=2025-10")
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString();
        assertThat(financePage)
                .contains("id=\"pool-" + userCentric + "-unpaid\">$125.00<")
                .contains("id=\"pool-" + proRata + "-unpaid\">$50.00<")
                .contains("id=\"pool-" + proRata + "-paid\">$450.00<")
                .contains("replacing 1 earlier declaration");
    }

    private void aMakerNeverReadsAPool() {
        // a maker never reads a pool (its declaration names the platform's subscribers)
        given().auth()
                .oauth2(Tokens.maker(makerA))
                .get("/pools")
                .then()
                .statusCode(403)
                .body("code", equalTo("FORBIDDEN"));
    }

    @Test
    void aDeclarationIsValidatedFieldByField() {
        AuthMatrixTest.awaitRegistryReplica();
        JsonPath problem =
                declare(
                                Tokens.admin(),
                                "{\"platformId\":\"Bad Id\",\"period\":\"2025-13\",\"currency\":\"usd1\","
                                        + "\"revenue\":\"-1\",\"makerShare\":\"1.5\",\"metric\":\"\","
                                        + "\"method\":\"RANDOM\"}")
                        .then()
                        .statusCode(422)
                        .contentType("application/problem+json")
                        .extract()
                        .jsonPath();
        assertThat(problem.getString("code")).isEqualTo("VALIDATION_FAILED");
        assertThat(problem.getList("errors.field"))
                .containsExactly(
                        "platformId",
                        "period",
                        "currency",
                        "revenue",
                        "makerShare",
                        "metric",
                        "method");
        assertThat(problem.getList("errors.code"))
                .containsExactly(
                        "INVALID_PLATFORM_ID",
                        "INVALID_PERIOD",
                        "INVALID_CURRENCY",
                        "INVALID_AMOUNT",
                        "INVALID_MAKER_SHARE",
                        "INVALID_METRIC",
                        "INVALID_METHOD");

        String longId = "x".repeat(129);
        JsonPath fees =
                declare(
                                Tokens.admin(),
                                "{\"platformId\":\"pf-"
                                        + s
                                        + "\",\"period\":\"2025-10\",\"currency\":\"USD\",\"revenue\":\"1\","
                                        + "\"makerShare\":\"0.5\",\"metric\":\"requests\",\"method\":\"PRO_RATA\","
                                        + "\"fees\":[{\"subscriberId\":\""
                                        + longId
                                        + "\",\"amount\":\"1\"},{\"subscriberId\":\"a\",\"amount\":\"x\"},"
                                        + "{\"subscriberId\":\"b\",\"amount\":\"1\"},{\"subscriberId\":\"b\",\"amount\":\"2\"}]}")
                        .then()
                        .statusCode(422)
                        .extract()
                        .jsonPath();
        assertThat(fees.getList("errors.field"))
                .containsExactly(
                        "fees", "fees[0].subscriberId", "fees[1].amount", "fees[3].subscriberId");
        assertThat(fees.getList("errors.code"))
                .containsExactly(
                        "FEES_NEED_USER_CENTRIC",
                        "BAD_SUBSCRIBER_ID",
                        "INVALID_AMOUNT",
                        "DUPLICATE_SUBSCRIBER");

        declare(Tokens.admin(), pool("nobody-registered-" + s, "2025-10", "1", "PRO_RATA"))
                .then()
                .statusCode(422)
                .body("code", equalTo("UNKNOWN_PLATFORM"))
                .body("errors[0].field", equalTo("platformId"));
    }

    private void assertNoSubscriber(String body) {
        assertThat(body).doesNotContain("subscriber-").doesNotContain("subscriberId");
        for (String subscriber : Map.of(s1, 1, s2, 2, s3, 3).keySet()) {
            assertThat(body).doesNotContain(subscriber);
        }
    }
}
