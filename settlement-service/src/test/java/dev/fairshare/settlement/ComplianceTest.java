package dev.fairshare.settlement;

import static dev.fairshare.settlement.SettlementFlowTest.delta;
import static dev.fairshare.settlement.SettlementFlowTest.send;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fairshare.localstack.FairshareTestResource;
import dev.fairshare.localstack.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A non-commercial model served to commercial customers by a platform without an agreement. */
@QuarkusTest
@QuarkusTestResource(
        value = FairshareTestResource.class,
        initArgs = @ResourceArg(name = "database", value = "settlement"))
class ComplianceTest {

    @Test
    void makersSeeUnlicensedUsageAndFindings() {
        String s = UUID.randomUUID().toString().substring(0, 6);
        String maker = "nc-maker-" + s;
        String model = "nc-model-" + s;
        String platform = "nc-pf-" + s;
        RegistryRecords.maker(maker, "NC");
        RegistryRecords.platform(platform, "Q");
        RegistryRecords.model(model, maker, "NC", "cc-by-nc-4.0", false, null, null);
        send(
                "usage.attributed",
                model,
                delta(UUID.randomUUID() + "/" + model, model, platform, "2026-02-03", "7.00"));
        send(
                "usage.attributed",
                model,
                delta(UUID.randomUUID() + "/" + model, model, platform, "2026-02-09", "5.00"));
        send(
                "usage.attributed",
                model,
                delta(UUID.randomUUID() + "/" + model, model, platform, "2026-02-05", "1.00")
                        .replace("COMMERCIAL", "NON_COMMERCIAL"));

        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () -> {
                            JsonPath f =
                                    given().auth()
                                            .oauth2(Tokens.finance())
                                            .queryParam("makerId", maker)
                                            .queryParam("period", "2026-02")
                                            .get("/compliance/findings")
                                            .then()
                                            .statusCode(200)
                                            .extract()
                                            .jsonPath();
                            assertThat(f.getList("items")).hasSize(1);
                            assertThat(f.getString("items[0].platformId")).isEqualTo(platform);
                            assertThat(f.getString("items[0].customerType"))
                                    .isEqualTo("COMMERCIAL");
                            assertThat(f.getLong("items[0].events")).isEqualTo(6);
                            assertThat(f.getString("items[0].revenue")).isEqualTo("12");
                            assertThat(f.getString("items[0].firstSeen")).isEqualTo("2026-02-03");
                            assertThat(f.getString("items[0].lastSeen")).isEqualTo("2026-02-09");
                        });
        JsonPath u =
                given().auth()
                        .oauth2(Tokens.finance())
                        .queryParam("makerId", maker)
                        .get("/unlicensed-usage")
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath();
        assertThat(u.getList("items.customerType"))
                .containsExactlyInAnyOrder("COMMERCIAL", "NON_COMMERCIAL");
        assertThat(u.getString("items.find { it.customerType == 'NON_COMMERCIAL' }.events"))
                .isEqualTo("3");
        assertThat(u.getInt("total")).isEqualTo(2);
        assertThat(u.getInt("page")).isEqualTo(0);
        JsonPath second =
                given().auth()
                        .oauth2(Tokens.finance())
                        .queryParam("makerId", maker)
                        .queryParam("size", 1)
                        .queryParam("page", 1)
                        .get("/unlicensed-usage")
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath();
        assertThat(second.getList("items")).hasSize(1);
        assertThat(second.getInt("total")).isEqualTo(2);
        // another maker sees none of it
        given().auth()
                .oauth2(Tokens.finance())
                .queryParam("makerId", "someone-else")
                .get("/compliance/findings")
                .then()
                .statusCode(200)
                .body("items.size()", org.hamcrest.Matchers.equalTo(0));
    }
}
