package dev.fairshare.settlement;

import static dev.fairshare.settlement.SettlementFlowTest.amount;
import static dev.fairshare.settlement.SettlementFlowTest.delta;
import static dev.fairshare.settlement.SettlementFlowTest.send;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.fairshare.localstack.FairshareTestResource;
import dev.fairshare.localstack.Tokens;
import dev.fairshare.settlement.engine.Agreement;
import dev.fairshare.settlement.registry.RegistryReplica;
import dev.fairshare.settlement.service.SettlementService;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A close reads the registry once: an agreement that the replica applies in the middle of a close
 * changes nothing in it.
 *
 * <p>November 2024 (30 days). Agreement A1: all of the maker's models on the platform, 10%, the
 * whole month, so the model's usage is rated from its monthly sums. Usage: 100.00 on the 20th. Once
 * the close has taken its registry view and worked out from it which usage it reads day by day, the
 * test makes the replica apply A2: the model alone, 50%, from the 1st to the 15th (ending inside
 * the month, so with it the model's usage would have to be read day by day). By hand, one view
 * either way gives 10.00 under A1 (the 20th is after A2); the two views mixed (the day pairs
 * without A2, the rating with it) would rate the monthly sum dated the 1st under A2: 50.00.
 */
@QuarkusTest
@QuarkusTestResource(
        value = FairshareTestResource.class,
        initArgs = @ResourceArg(name = "database", value = "settlement"))
class RegistrySnapshotCloseTest {
    static final YearMonth NOVEMBER = YearMonth.of(2024, 11);

    @Inject RegistryReplica registry;

    @AfterEach
    void unhook() {
        RegistryViewHook.clear();
    }

    @Test
    void anAgreementAppliedMidCloseIsNotInTheClose() {
        String s = UUID.randomUUID().toString().substring(0, 6);
        String maker = "rs-mk-" + s;
        String platform = "rs-pf-" + s;
        String model = "rs-md-" + s;
        String a1 = "rs-a1-" + s;
        String a2 = "rs-a2-" + s;
        RegistryRecords.makerPlatformModel(maker, platform, model);
        RegistryRecords.agreement(
                a1,
                maker,
                platform,
                null,
                "2024-11-01",
                "2024-12-01",
                "{\"type\":\"REVENUE_SHARE\",\"rate\":\"0.1\"}");
        send(
                "usage.attributed",
                model,
                delta(UUID.randomUUID() + "/" + model, model, platform, "2024-11-20", "100.00"));
        AuthMatrixTest.awaitRegistryReplica();
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () ->
                                assertThat(
                                                amount(
                                                        given().auth()
                                                                .oauth2(Tokens.finance())
                                                                .get("/payouts/" + NOVEMBER)
                                                                .then()
                                                                .extract()
                                                                .jsonPath(),
                                                        maker))
                                        .isEqualTo("10.00"));
        Periods.closeOpenPeriodsBefore(NOVEMBER);

        AtomicReference<SettlementService.RegistryViewTaken> seen = new AtomicReference<>();
        RegistryViewHook.set(
                taken -> {
                    if (!taken.period().equals(NOVEMBER) || !seen.compareAndSet(null, taken)) {
                        return;
                    }
                    RegistryRecords.agreement(
                            a2,
                            maker,
                            platform,
                            model,
                            "2024-11-01",
                            "2024-11-16",
                            "{\"type\":\"REVENUE_SHARE\",\"rate\":\"0.5\"}");
                    await().atMost(Duration.ofSeconds(30))
                            .until(() -> ids(registry.snapshot().agreements()).contains(a2));
                });
        JsonPath closed =
                given().auth()
                        .oauth2(Tokens.finance())
                        .post("/periods/" + NOVEMBER + "/close")
                        .then()
                        .statusCode(200)
                        .body("status", equalTo("CLOSED"))
                        .extract()
                        .jsonPath();
        RegistryViewHook.clear();

        // the hook ran inside the close, and the replica had A2 before the close rated anything
        assertThat(seen.get()).isNotNull();
        assertThat(ids(registry.snapshot().agreements())).contains(a1, a2);
        // the close's view is the one it took: without A2, whatever the replica did meanwhile
        assertThat(ids(seen.get().registry().agreements())).contains(a1).doesNotContain(a2);

        // and it rated with that view only: 10% of 100.00 under A1
        assertThat(closed.getString("payouts.find { it.makerId == '" + maker + "' }.amount"))
                .isEqualTo("10.00");
        JsonPath statement =
                given().auth()
                        .oauth2(Tokens.finance())
                        .queryParam("makerId", maker)
                        .get("/statements/" + NOVEMBER)
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath();
        List<Map<String, Object>> lines = statement.getList("items");
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0))
                .containsEntry("agreementId", a1)
                .containsEntry("kind", "ROYALTY")
                .containsEntry("amount", "10.00")
                .containsEntry("basis", "100");
    }

    private static List<String> ids(List<Agreement> agreements) {
        return agreements.stream().map(Agreement::id).toList();
    }
}
