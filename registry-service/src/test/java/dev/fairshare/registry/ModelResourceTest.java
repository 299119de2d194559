package dev.fairshare.registry;

import static dev.fairshare.registry.RegistryTestSupport.maker;
import static dev.fairshare.registry.RegistryTestSupport.model;
import static dev.fairshare.registry.RegistryTestSupport.platform;
import static dev.fairshare.registry.RegistryTestSupport.post;
import static dev.fairshare.registry.RegistryTestSupport.uid;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import dev.fairshare.localstack.FairshareTestResource;
import dev.fairshare.localstack.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(
        value = FairshareTestResource.class,
        initArgs = @ResourceArg(name = "database", value = "registry"))
class ModelResourceTest {

    private static String body(String id, String maker, String parents) {
        return "{\"id\":\""
                + id
                + "\",\"makerId\":\""
                + maker
                + "\",\"name\":\"X\","
                + "\"license\":{\"id\":\"cc-by-nc\",\"commercialUse\":false},\"parents\":"
                + parents
                + "}";
    }

    @Test
    void createsAModelWithLicenceAndParents() {
        String maker = maker();
        String base = model(maker, "[]");
        String id = uid("derived");
        post(
                        "/models",
                        body(
                                id,
                                maker,
                                "[{\"modelId\":\"" + base + "\",\"royaltyShare\":\"0.30\"}]"))
                .statusCode(201)
                .body("license.commercialUse", equalTo(false))
                .body("parents[0].modelId", equalTo(base))
                .body("parents[0].royaltyShare", equalTo("0.3"));
        given().auth()
                .oauth2(Tokens.admin())
                .queryParam("makerId", maker)
                .get("/models")
                .then()
                .statusCode(200)
                .body("items", hasSize(2))
                .body("total", equalTo(2));
    }

    @Test
    void rejectsEachInvalidModelWithItsCode() {
        String maker = maker();
        String a = model(maker, "[]");
        String b = model(maker, "[]");
        post("/models", body(uid("m"), "no-such-maker", "[]"))
                .statusCode(422)
                .body("code", equalTo("UNKNOWN_MAKER"));
        post("/models", body(uid("m"), maker, "[{\"modelId\":\"ghost\",\"royaltyShare\":\"0.1\"}]"))
                .statusCode(422)
                .body("code", equalTo("UNKNOWN_PARENT"))
                .body("errors[0].field", equalTo("parents[0].modelId"));
        post(
                        "/models",
                        body(
                                uid("m"),
                                maker,
                                "[{\"modelId\":\""
                                        + a
                                        + "\",\"royaltyShare\":\"0.6\"},{\"modelId\":\""
                                        + b
                                        + "\",\"royaltyShare\":\"0.5\"}]"))
                .statusCode(422)
                .body("code", equalTo("SHARES_EXCEED_ONE"));
        post(
                        "/models",
                        body(
                                uid("m"),
                                maker,
                                "[{\"modelId\":\"" + a + "\",\"royaltyShare\":\"0\"}]"))
                .statusCode(422)
                .body("code", equalTo("INVALID_SHARE"));
        post(
                        "/models",
                        body(
                                uid("m"),
                                maker,
                                "[{\"modelId\":\"" + a + "\",\"royaltyShare\":\"1.5\"}]"))
                .statusCode(422)
                .body("code", equalTo("INVALID_SHARE"));
        post(
                        "/models",
                        body(
                                uid("m"),
                                maker,
                                "[{\"modelId\":\"" + a + "\",\"royaltyShare\":\"abc\"}]"))
                .statusCode(422)
                .body("code", equalTo("INVALID_DECIMAL"));
        String self = uid("self");
        post(
                        "/models",
                        body(
                                self,
                                maker,
                                "[{\"modelId\":\"" + self + "\",\"royaltyShare\":\"0.1\"}]"))
                .statusCode(422)
                .body("code", equalTo("LINEAGE_CYCLE"));
        post("/models", body("UPPER", maker, "[]"))
                .statusCode(422)
                .body("code", equalTo("INVALID_ID"));
        post(
                        "/models",
                        "{\"id\":\""
                                + uid("m")
                                + "\",\"makerId\":\""
                                + maker
                                + "\",\"name\":\"X\"}")
                .statusCode(422)
                .body("code", equalTo("MISSING_FIELD"))
                .body("errors[0].field", equalTo("license"));
        post("/models", body(a, maker, "[]")).statusCode(409).body("code", equalTo("DUPLICATE_ID"));
    }

    @Test
    void exactSharesOfShareSummingToOneAreAccepted() {
        String maker = maker();
        String a = model(maker, "[]");
        String b = model(maker, "[]");
        model(
                maker,
                "[{\"modelId\":\""
                        + a
                        + "\",\"royaltyShare\":\"0.7\"},{\"modelId\":\""
                        + b
                        + "\",\"royaltyShare\":\"0.3\"}]");
    }

    @Test
    void lineageGivesEffectiveSharesAlongThePath() {
        String maker = maker();
        String root = model(maker, "[]");
        String mid = model(maker, "[{\"modelId\":\"" + root + "\",\"royaltyShare\":\"0.10\"}]");
        String leaf = model(maker, "[{\"modelId\":\"" + mid + "\",\"royaltyShare\":\"0.30\"}]");
        String tip = model(maker, "[{\"modelId\":\"" + leaf + "\",\"royaltyShare\":\"0.5\"}]");
        given().auth()
                .oauth2(Tokens.admin())
                .get("/models/" + tip + "/lineage")
                .then()
                .statusCode(200)
                .body("modelId", equalTo(tip))
                .body("parents[0].modelId", equalTo(leaf))
                .body("parents[0].effectiveShare", equalTo("0.5"))
                .body("parents[0].parents[0].modelId", equalTo(mid))
                .body("parents[0].parents[0].royaltyShare", equalTo("0.3"))
                .body("parents[0].parents[0].effectiveShare", equalTo("0.15"))
                .body("parents[0].parents[0].parents[0].modelId", equalTo(root))
                .body("parents[0].parents[0].parents[0].effectiveShare", equalTo("0.015"))
                .body("parents[0].parents[0].parents[0].parents", hasSize(0));
        given().auth().oauth2(Tokens.admin()).get("/models/nope/lineage").then().statusCode(404);
    }

    @Test
    void aliasesRepointOverTimeButNeverToTwoModelsAtOnce() {
        String maker = maker();
        String platform = platform();
        String v1 = model(maker, "[]");
        String v2 = model(maker, "[]");
        String ref = "org/" + uid("voice");
        post(
                        "/models/" + v1 + "/aliases",
                        "{\"ref\":\""
                                + ref
                                + "\",\"platformId\":\""
                                + platform
                                + "\",\"validFrom\":\"2026-01-01T00:00:00Z\"}")
                .statusCode(201)
                .body("aliases[0].ref", equalTo(ref));
        post(
                        "/models/" + v2 + "/aliases",
                        "{\"ref\":\""
                                + ref
                                + "\",\"platformId\":\""
                                + platform
                                + "\",\"validFrom\":\"2026-06-01T00:00:00Z\"}")
                .statusCode(201)
                .body("aliases[0].validFrom", equalTo("2026-06-01T00:00:00Z"));
        post(
                        "/models/" + v2 + "/aliases",
                        "{\"ref\":\""
                                + ref
                                + "\",\"platformId\":\""
                                + platform
                                + "\",\"validFrom\":\"2026-01-01T00:00:00Z\"}")
                .statusCode(409)
                .body("code", equalTo("ALIAS_CONFLICT"));
        // a global alias with the same ref is another alias
        post("/models/" + v2 + "/aliases", "{\"ref\":\"" + ref + "\"}")
                .statusCode(201)
                .body("aliases[1].validFrom", equalTo("1970-01-01T00:00:00Z"))
                .body("aliases[1].platformId", equalTo(null));
        post("/models/" + v1 + "/aliases", "{\"ref\":\"x\",\"validFrom\":\"2026-01-01T10:00:00Z\"}")
                .statusCode(422)
                .body("code", equalTo("NOT_WHOLE_DAY"));
        post("/models/" + v1 + "/aliases", "{\"ref\":\"x\",\"platformId\":\"ghost\"}")
                .statusCode(422)
                .body("code", equalTo("UNKNOWN_PLATFORM"));
        post("/models/ghost/aliases", "{\"ref\":\"x\"}").statusCode(404);
        // an alias cannot take the usage of another model's id
        post("/models/" + v1 + "/aliases", "{\"ref\":\"" + v2 + "\"}")
                .statusCode(422)
                .body("code", equalTo("ALIAS_SHADOWS_MODEL"));
    }
}
