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
class AgreementResourceTest {
    static final String SHARE = "{\"type\":\"REVENUE_SHARE\",\"rate\":\"0.20\"}";

    static String agreement(
            String id,
            String maker,
            String platform,
            String model,
            String from,
            String to,
            String terms) {
        return "{\"id\":\""
                + id
                + "\",\"makerId\":\""
                + maker
                + "\",\"platformId\":\""
                + platform
                + "\","
                + (model == null ? "" : "\"modelId\":\"" + model + "\",")
                + "\"currency\":\"USD\",\"validFrom\":\""
                + from
                + "\","
                + (to == null ? "" : "\"validTo\":\"" + to + "\",")
                + "\"terms\":"
                + terms
                + "}";
    }

    @Test
    void recordsRevenueShareAndPerUnitAgreements() {
        String maker = maker();
        String platform = platform();
        String m = model(maker, "[]");
        String id = uid("ag");
        post(
                        "/agreements",
                        agreement(
                                id,
                                maker,
                                platform,
                                m,
                                "2026-01-01T00:00:00Z",
                                "2026-07-01T00:00:00Z",
                                SHARE))
                .statusCode(201)
                .body("terms.type", equalTo("REVENUE_SHARE"))
                .body("terms.rate", equalTo("0.2"))
                .body("validTo", equalTo("2026-07-01T00:00:00Z"));
        String perUnit =
                "{\"type\":\"PER_UNIT\",\"metric\":\"output_tokens\",\"unitSize\":\"1000000\","
                        + "\"tiers\":[{\"upTo\":\"1000000000\",\"price\":\"0.40\"},{\"upTo\":null,\"price\":\"0.30\"}]}";
        String id2 = uid("ag");
        post(
                        "/agreements",
                        agreement(id2, maker, platform, m, "2026-07-01T00:00:00Z", null, perUnit)
                                .replace("}}", "},\"minimumGuarantee\":\"50.00\"}"))
                .statusCode(201)
                .body("terms.tiers", hasSize(2))
                .body("terms.tiers[0].upTo", equalTo("1000000000"))
                .body("terms.tiers[1].upTo", equalTo(null))
                .body("minimumGuarantee", equalTo("50"));
        given().auth()
                .oauth2(Tokens.admin())
                .queryParam("makerId", maker)
                .queryParam("platformId", platform)
                .get("/agreements")
                .then()
                .statusCode(200)
                .body("total", equalTo(2));
        given().auth()
                .oauth2(Tokens.admin())
                .get("/agreements/" + id2)
                .then()
                .statusCode(200)
                .body("terms.metric", equalTo("output_tokens"));
    }

    @Test
    void rejectsMalformedAgreementsWithTheirCodes() {
        String maker = maker();
        String platform = platform();
        String other = maker();
        String foreign = model(other, "[]");
        String day = "2026-01-01T00:00:00Z";
        post(
                        "/agreements",
                        agreement(
                                uid("a"),
                                maker,
                                platform,
                                null,
                                day,
                                null,
                                "{\"type\":\"REVENUE_SHARE\"}"))
                .statusCode(422)
                .body("code", equalTo("MISSING_FIELD"))
                .body("errors[0].field", equalTo("terms.rate"));
        post(
                        "/agreements",
                        agreement(
                                uid("a"),
                                maker,
                                platform,
                                null,
                                day,
                                null,
                                "{\"type\":\"BARTER\"}"))
                .statusCode(422)
                .body("code", equalTo("INVALID_TERMS"));
        post(
                        "/agreements",
                        agreement(
                                uid("a"),
                                maker,
                                platform,
                                null,
                                day,
                                null,
                                "{\"type\":\"REVENUE_SHARE\",\"rate\":\"1.5\"}"))
                .statusCode(422)
                .body("code", equalTo("INVALID_TERMS"));
        post(
                        "/agreements",
                        agreement(
                                uid("a"),
                                maker,
                                platform,
                                null,
                                day,
                                null,
                                "{\"type\":\"PER_UNIT\",\"metric\":\"t\",\"unitSize\":\"1\",\"tiers\":[{\"upTo\":\"10\",\"price\":\"1\"},{\"upTo\":\"5\",\"price\":\"1\"},{\"price\":\"1\"}]}"))
                .statusCode(422)
                .body("code", equalTo("INVALID_TIERS"))
                .body("errors[0].field", equalTo("terms.tiers[1].upTo"));
        post(
                        "/agreements",
                        agreement(
                                uid("a"),
                                maker,
                                platform,
                                null,
                                day,
                                null,
                                "{\"type\":\"PER_UNIT\",\"metric\":\"t\",\"unitSize\":\"1\",\"tiers\":[{\"upTo\":\"10\",\"price\":\"1\"}]}"))
                .statusCode(422)
                .body("code", equalTo("INVALID_TIERS"))
                .body("errors[0].field", equalTo("terms.tiers[0].upTo"));
        post(
                        "/agreements",
                        agreement(
                                uid("a"),
                                maker,
                                platform,
                                null,
                                day,
                                null,
                                "{\"type\":\"PER_UNIT\",\"metric\":\"t\",\"unitSize\":\"1\",\"tiers\":[{\"price\":\"-1\"}]}"))
                .statusCode(422)
                .body("code", equalTo("INVALID_TIERS"));
        post(
                        "/agreements",
                        agreement(
                                uid("a"),
                                maker,
                                platform,
                                null,
                                day,
                                null,
                                "{\"type\":\"PER_UNIT\",\"metric\":\"t\",\"unitSize\":\"0\",\"tiers\":[{\"price\":\"1\"}]}"))
                .statusCode(422)
                .body("code", equalTo("INVALID_TERMS"));
        post(
                        "/agreements",
                        agreement(uid("a"), maker, platform, null, day, null, SHARE)
                                .replace("USD", "XYZ"))
                .statusCode(422)
                .body("code", equalTo("BAD_CURRENCY"));
        post(
                        "/agreements",
                        agreement(uid("a"), maker, platform, null, day, null, SHARE)
                                .replace("}}", "},\"minimumGuarantee\":\"1e21\"}"))
                .statusCode(422)
                .body("code", equalTo("INVALID_DECIMAL"))
                .body("errors[0].field", equalTo("minimumGuarantee"));
        post(
                        "/agreements",
                        agreement(
                                uid("a"),
                                maker,
                                platform,
                                null,
                                "2026-01-01T12:00:00Z",
                                null,
                                SHARE))
                .statusCode(422)
                .body("code", equalTo("NOT_WHOLE_DAY"));
        post("/agreements", agreement(uid("a"), maker, platform, null, day, day, SHARE))
                .statusCode(422)
                .body("code", equalTo("INVALID_VALIDITY"));
        post("/agreements", agreement(uid("a"), maker, "ghost", null, day, null, SHARE))
                .statusCode(422)
                .body("code", equalTo("UNKNOWN_PLATFORM"));
        post("/agreements", agreement(uid("a"), "ghost", platform, null, day, null, SHARE))
                .statusCode(422)
                .body("code", equalTo("UNKNOWN_MAKER"));
        post("/agreements", agreement(uid("a"), maker, platform, foreign, day, null, SHARE))
                .statusCode(422)
                .body("code", equalTo("MODEL_NOT_OF_MAKER"));
    }

    @Test
    void overlapsAreRejectedAdjacentPeriodsAllowed() {
        String maker = maker();
        String platform = platform();
        String m1 = model(maker, "[]");
        String m2 = model(maker, "[]");
        post(
                        "/agreements",
                        agreement(
                                uid("a"),
                                maker,
                                platform,
                                m1,
                                "2026-01-01T00:00:00Z",
                                "2026-04-01T00:00:00Z",
                                SHARE))
                .statusCode(201);
        // same model, overlapping
        post(
                        "/agreements",
                        agreement(
                                uid("a"), maker, platform, m1, "2026-03-01T00:00:00Z", null, SHARE))
                .statusCode(422)
                .body("code", equalTo("AGREEMENT_OVERLAP"));
        // all models vs one model, overlapping
        post(
                        "/agreements",
                        agreement(
                                uid("a"),
                                maker,
                                platform,
                                null,
                                "2026-02-01T00:00:00Z",
                                "2026-03-01T00:00:00Z",
                                SHARE))
                .statusCode(422)
                .body("code", equalTo("AGREEMENT_OVERLAP"));
        // another model at the same time is fine
        post(
                        "/agreements",
                        agreement(
                                uid("a"), maker, platform, m2, "2026-01-01T00:00:00Z", null, SHARE))
                .statusCode(201);
        // adjacent period for the same model is fine
        post(
                        "/agreements",
                        agreement(
                                uid("a"), maker, platform, m1, "2026-04-01T00:00:00Z", null, SHARE))
                .statusCode(201);
        // another platform is another agreement
        post(
                        "/agreements",
                        agreement(
                                uid("a"),
                                maker,
                                platform(),
                                null,
                                "2026-01-01T00:00:00Z",
                                null,
                                SHARE))
                .statusCode(201);
    }

    static final String POOL = "{\"type\":\"POOL_SHARE\"}";

    @Test
    void aPoolShareAgreementCoexistsWithOnePerEventAgreementOfTheSameScope() {
        String maker = maker();
        String platform = platform();
        String m1 = model(maker, "[]");
        String m2 = model(maker, "[]");
        String from = "2026-01-01T00:00:00Z";
        String pool = uid("a");
        post("/agreements", agreement(pool, maker, platform, m1, from, null, POOL))
                .statusCode(201)
                .body("terms", equalTo(java.util.Map.of("type", "POOL_SHARE")))
                .body("minimumGuarantee", equalTo(null));
        given().auth()
                .oauth2(Tokens.admin())
                .get("/agreements/" + pool)
                .then()
                .statusCode(200)
                .body("terms", equalTo(java.util.Map.of("type", "POOL_SHARE")));
        // the per-event agreement of the same maker, platform, model and time: accepted
        post(
                        "/agreements",
                        agreement(
                                uid("a"), maker, platform, m1, "2026-03-01T00:00:00Z", null, SHARE))
                .statusCode(201);
        // a second of either kind is an overlap, as before
        post(
                        "/agreements",
                        agreement(
                                uid("a"),
                                maker,
                                platform,
                                m1,
                                "2026-02-01T00:00:00Z",
                                "2026-05-01T00:00:00Z",
                                POOL))
                .statusCode(422)
                .body("code", equalTo("AGREEMENT_OVERLAP"))
                .body("errors[0].field", equalTo("validFrom"))
                .body("detail", org.hamcrest.Matchers.containsString("'" + pool + "'"));
        post("/agreements", agreement(uid("a"), maker, platform, null, from, null, POOL))
                .statusCode(422)
                .body("code", equalTo("AGREEMENT_OVERLAP"));
        post(
                        "/agreements",
                        agreement(
                                uid("a"), maker, platform, m1, "2026-06-01T00:00:00Z", null, SHARE))
                .statusCode(422)
                .body("code", equalTo("AGREEMENT_OVERLAP"));
        // with a guarantee, beside per-unit terms, on another model
        post(
                        "/agreements",
                        agreement(uid("a"), maker, platform, m2, from, null, POOL)
                                .replace("}}", "},\"minimumGuarantee\":\"100.00\"}"))
                .statusCode(201)
                .body("terms", equalTo(java.util.Map.of("type", "POOL_SHARE")))
                .body("minimumGuarantee", equalTo("100"));
        post(
                        "/agreements",
                        agreement(
                                uid("a"),
                                maker,
                                platform,
                                m2,
                                from,
                                null,
                                "{\"type\":\"PER_UNIT\",\"metric\":\"requests\",\"unitSize\":\"1\",\"tiers\":[{\"upTo\":null,\"price\":\"0.01\"}]}"))
                .statusCode(201);
        // after the pool's period, another pool
        post(
                        "/agreements",
                        agreement(
                                uid("a"),
                                maker,
                                platform,
                                m1,
                                "2025-01-01T00:00:00Z",
                                "2026-01-01T00:00:00Z",
                                POOL))
                .statusCode(201);
    }

    @Test
    void poolShareTermsTakeNoPriceFields() {
        String maker = maker();
        String platform = platform();
        String day = "2026-01-01T00:00:00Z";
        for (String[] extra :
                new String[][] {
                    {"\"rate\":\"0.2\"", "terms.rate"},
                    {"\"metric\":\"requests\"", "terms.metric"},
                    {"\"unitSize\":\"1\"", "terms.unitSize"},
                    {"\"tiers\":[{\"upTo\":null,\"price\":\"1\"}]", "terms.tiers"},
                    {"\"tiers\":[]", "terms.tiers"}
                }) {
            post(
                            "/agreements",
                            agreement(
                                    uid("a"),
                                    maker,
                                    platform,
                                    null,
                                    day,
                                    null,
                                    "{\"type\":\"POOL_SHARE\"," + extra[0] + "}"))
                    .statusCode(422)
                    .contentType("application/problem+json")
                    .body("code", equalTo("INVALID_TERMS"))
                    .body("errors", hasSize(1))
                    .body("errors[0].field", equalTo(extra[1]))
                    .body("errors[0].code", equalTo("INVALID_TERMS"));
        }
        post(
                        "/agreements",
                        agreement(
                                uid("a"),
                                maker,
                                platform,
                                null,
                                day,
                                null,
                                "{\"type\":\"POOL_SHARE\",\"rate\":\"0.2\",\"metric\":\"requests\"}"))
                .statusCode(422)
                .body("errors.field", org.hamcrest.Matchers.contains("terms.rate", "terms.metric"));
        // nothing was recorded
        given().auth()
                .oauth2(Tokens.admin())
                .queryParam("makerId", maker)
                .get("/agreements")
                .then()
                .statusCode(200)
                .body("total", equalTo(0));
    }

    @Test
    void endingAnAgreementIsAllowedExtendingIsNot() {
        String maker = maker();
        String platform = platform();
        String id = uid("a");
        post(
                        "/agreements",
                        agreement(
                                id,
                                maker,
                                platform,
                                null,
                                "2026-01-01T00:00:00Z",
                                "2099-12-01T00:00:00Z",
                                SHARE))
                .statusCode(201);
        post(
                        "/agreements",
                        agreement(
                                uid("a"),
                                maker,
                                platform,
                                null,
                                "2099-06-01T00:00:00Z",
                                null,
                                SHARE))
                .statusCode(422)
                .body("code", equalTo("AGREEMENT_OVERLAP"));
        post("/agreements/" + id + "/end", "{\"validTo\":\"2100-01-01T00:00:00Z\"}")
                .statusCode(422)
                .body("code", equalTo("TERMS_IMMUTABLE"));
        post("/agreements/" + id + "/end", "{\"validTo\":\"2026-02-01T00:00:00Z\"}")
                .statusCode(422)
                .body("code", equalTo("RETROACTIVE_CHANGE"));
        post("/agreements/" + id + "/end", "{\"validTo\":\"2099-06-01T00:00:00Z\"}")
                .statusCode(200)
                .body("validTo", equalTo("2099-06-01T00:00:00Z"));
        post(
                        "/agreements",
                        agreement(
                                uid("a"),
                                maker,
                                platform,
                                null,
                                "2099-06-01T00:00:00Z",
                                null,
                                SHARE))
                .statusCode(201);
    }
}
