package dev.fairshare.registry;

import static dev.fairshare.registry.RegistryTestSupport.maker;
import static dev.fairshare.registry.RegistryTestSupport.model;
import static dev.fairshare.registry.RegistryTestSupport.namespace;
import static dev.fairshare.registry.RegistryTestSupport.platform;
import static dev.fairshare.registry.RegistryTestSupport.post;
import static dev.fairshare.registry.RegistryTestSupport.records;
import static dev.fairshare.registry.RegistryTestSupport.uid;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fairshare.localstack.FairshareTestResource;
import dev.fairshare.localstack.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * Who may name a model (DESIGN.md): namespaces, global aliases, platform catalogues and proposals,
 * and re-pointing another maker's ref.
 */
@QuarkusTest
@QuarkusTestResource(
        value = FairshareTestResource.class,
        initArgs = @ResourceArg(name = "database", value = "registry"))
class NamesTest {
    static final ObjectMapper JSON = new ObjectMapper();

    static String day(int daysFromToday) {
        return LocalDate.now(ZoneOffset.UTC).plusDays(daysFromToday) + "T00:00:00Z";
    }

    static ValidatableResponse expect(ValidatableResponse r, int status, String code) {
        return AuthMatrixTest.expect(r, status, code);
    }

    static String alias(String ref, String platformId, String validFrom, String reason) {
        return "{\"ref\":\""
                + ref
                + "\""
                + (platformId == null ? "" : ",\"platformId\":\"" + platformId + "\"")
                + (validFrom == null ? "" : ",\"validFrom\":\"" + validFrom + "\"")
                + (reason == null ? "" : ",\"reason\":\"" + reason + "\"")
                + "}";
    }

    /** The refs of the aliases in the newest registry.models record of a model. */
    static List<String> publishedRefs(String model) throws Exception {
        List<ConsumerRecord<String, String>> all = records("registry.models", model);
        List<String> refs = new ArrayList<>();
        if (all.isEmpty()) {
            return refs;
        }
        for (JsonNode a : JSON.readTree(all.get(all.size() - 1).value()).get("aliases")) {
            refs.add(
                    (a.get("platformId").isNull() ? "" : a.get("platformId").asText() + ":")
                            + a.get("ref").asText());
        }
        return refs;
    }

    /** coqui holds {@code <ns>XTTS-v2} globally; voicelab has a derived model; acme a platform. */
    record Hijack(
            String coqui,
            String voicelab,
            String acme,
            String nimbus,
            String ns,
            String ref,
            String xtts,
            String nordic) {}

    static Hijack hijackWorld() {
        String coqui = maker();
        String voicelab = maker();
        String acme = platform();
        String nimbus = platform();
        String ns = namespace(coqui);
        String xtts = model(coqui, "[]");
        String nordic =
                model(voicelab, "[{\"modelId\":\"" + xtts + "\",\"royaltyShare\":\"0.30\"}]");
        String ref = ns + "XTTS-v2";
        // the maker names its own model inside its namespace
        post(Tokens.maker(coqui), "/models/" + xtts + "/aliases", alias(ref, null, null, null))
                .statusCode(201)
                .body("aliases.ref", contains(ref));
        return new Hijack(coqui, voicelab, acme, nimbus, ns, ref, xtts, nordic);
    }

    // ---------------------------------------------------------------- the hijack

    @Test
    void aMakerCannotTakeAnotherMakersRefAndThePublishedModelsStayAsTheyWere() throws Exception {
        Hijack w = hijackWorld();
        String voicelab = Tokens.maker(w.voicelab());
        String aliases = "/models/" + w.nordic() + "/aliases";

        // the platform alias of the issue: on acme the ref resolves (globally) to coqui's model
        expect(
                post(voicelab, aliases, alias(w.ref(), w.acme(), null, null)),
                403,
                "REF_HELD_BY_ANOTHER_MAKER");
        // a global alias from a later day
        expect(
                post(voicelab, aliases, alias(w.ref(), null, day(30), null)),
                403,
                "REF_HELD_BY_ANOTHER_MAKER");
        // with a reason, still a maker
        expect(
                post(voicelab, aliases, alias(w.ref(), null, day(30), "mine now")),
                403,
                "REF_HELD_BY_ANOTHER_MAKER");
        // a ref nobody holds yet, inside coqui's namespace
        expect(
                post(voicelab, aliases, alias(w.ns() + "unreleased", null, null, null)),
                403,
                "REF_NOT_IN_NAMESPACE");
        // an unattributed ref outside every namespace: not globally...
        String free = uid("free");
        expect(post(voicelab, aliases, alias(free, null, null, null)), 403, "REF_NOT_IN_NAMESPACE");
        // ...and on a platform only as a proposal, which names nothing yet
        post(voicelab, aliases, alias(free, w.acme(), null, null))
                .statusCode(202)
                .body("status", equalTo("PROPOSED"))
                .body("ref", equalTo(free))
                .body("platformId", equalTo(w.acme()));
        given().auth()
                .oauth2(Tokens.admin())
                .get("/models/" + w.nordic())
                .then()
                .statusCode(200)
                .body("aliases", hasSize(0));
        given().auth()
                .oauth2(Tokens.admin())
                .get("/models/" + w.xtts())
                .then()
                .body("aliases.ref", contains(w.ref()));

        // a later legitimate change of voicelab's model marks the end of what the outbox holds
        String own = namespace(w.voicelab()) + "nordic";
        post(voicelab, aliases, alias(own, null, null, null)).statusCode(201);
        await().atMost(Duration.ofSeconds(20)).until(() -> publishedRefs(w.nordic()).contains(own));
        for (ConsumerRecord<String, String> r : records("registry.models", w.nordic())) {
            assertThat(r.value()).doesNotContain(w.ref()).doesNotContain(free);
        }
        assertThat(publishedRefs(w.nordic())).containsExactly(own);
        assertThat(publishedRefs(w.xtts())).containsExactly(w.ref());
    }

    @Test
    void aPlatformNamesModelsInItsOwnCatalogueOnly() throws Exception {
        Hijack w = hijackWorld();
        String acme = Tokens.platform(w.acme());
        String ref = uid("catalogue");
        String aliases = "/models/" + w.nordic() + "/aliases";
        post(acme, aliases, alias(ref, w.acme(), null, null))
                .statusCode(201)
                .body("aliases[0].ref", equalTo(ref))
                .body("aliases[0].platformId", equalTo(w.acme()));
        expect(post(acme, aliases, alias(uid("r"), w.nimbus(), null, null)), 403, "FORBIDDEN");
        expect(post(acme, aliases, alias(uid("r"), null, null, null)), 403, "FORBIDDEN");
        // re-pointing its own catalogue name from coqui's model to voicelab's is ADMIN's
        expect(
                post(acme, aliases, alias(w.ref(), w.acme(), day(1), "renamed")),
                403,
                "REF_HELD_BY_ANOTHER_MAKER");
        // the platform's name for coqui's model, and voicelab cannot re-point it later either
        post(acme, "/models/" + w.xtts() + "/aliases", alias("xtts", w.acme(), null, null))
                .statusCode(201);
        expect(
                post(Tokens.maker(w.voicelab()), aliases, alias("xtts", w.acme(), day(2), null)),
                403,
                "REF_HELD_BY_ANOTHER_MAKER");
    }

    // ---------------------------------------------------------------- proposals

    @Test
    void anAcceptedProposalBecomesAnAliasAndIsPublished() throws Exception {
        Hijack w = hijackWorld();
        String ref = uid("nordic-tts");
        var proposed =
                post(
                                Tokens.maker(w.voicelab()),
                                "/models/" + w.nordic() + "/aliases",
                                alias(ref, w.acme(), null, null))
                        .statusCode(202)
                        .body("status", equalTo("PROPOSED"))
                        .extract();
        long id = proposed.jsonPath().getLong("proposalId");
        assertThat(proposed.header("Location")).endsWith("/alias-proposals/" + id);

        given().auth()
                .oauth2(Tokens.platform(w.acme()))
                .get("/alias-proposals?status=PROPOSED")
                .then()
                .statusCode(200)
                .body("items.proposalId", hasItem((int) id))
                .body("items.platformId", org.hamcrest.Matchers.everyItem(equalTo(w.acme())));
        given().auth()
                .oauth2(Tokens.platform(w.nimbus()))
                .get("/alias-proposals")
                .then()
                .statusCode(200)
                .body("items.proposalId", not(hasItem((int) id)));
        given().auth()
                .oauth2(Tokens.maker(w.coqui()))
                .get("/alias-proposals")
                .then()
                .statusCode(200)
                .body("items.proposalId", not(hasItem((int) id)));
        given().auth()
                .oauth2(Tokens.maker(w.voicelab()))
                .get("/alias-proposals")
                .then()
                .statusCode(200)
                .body("items.proposalId", contains((int) id));

        // neither another platform nor the maker itself decides it
        expect(
                post(Tokens.platform(w.nimbus()), "/alias-proposals/" + id + "/accept", "{}"),
                404,
                "NOT_FOUND");
        expect(
                post(Tokens.maker(w.voicelab()), "/alias-proposals/" + id + "/accept", "{}"),
                403,
                "FORBIDDEN");
        given().auth()
                .oauth2(Tokens.admin())
                .get("/models/" + w.nordic())
                .then()
                .body("aliases", hasSize(0));

        post(Tokens.platform(w.acme()), "/alias-proposals/" + id + "/accept", "{}")
                .statusCode(200)
                .body("status", equalTo("ACCEPTED"))
                .body("decidedBy", equalTo("platform-" + w.acme()));
        given().auth()
                .oauth2(Tokens.admin())
                .get("/models/" + w.nordic())
                .then()
                .body("aliases.ref", contains(ref))
                .body("aliases[0].platformId", equalTo(w.acme()))
                .body("aliases[0].validFrom", equalTo("1970-01-01T00:00:00Z"));
        // published like any alias: usage-service attributes the ref's stored backlog when it
        // arrives (UsageIngestionTest.aLateAliasAttributesTheStoredEventsAndSendsTheirDeltas)
        await().atMost(Duration.ofSeconds(20))
                .until(() -> publishedRefs(w.nordic()).contains(w.acme() + ":" + ref));
        expect(
                post(Tokens.platform(w.acme()), "/alias-proposals/" + id + "/reject", "{}"),
                409,
                "PROPOSAL_DECIDED");
    }

    @Test
    void aRejectedProposalNamesNothing() throws Exception {
        Hijack w = hijackWorld();
        String ref = uid("nope");
        long id =
                post(
                                Tokens.maker(w.voicelab()),
                                "/models/" + w.nordic() + "/aliases",
                                alias(ref, w.acme(), null, null))
                        .statusCode(202)
                        .extract()
                        .jsonPath()
                        .getLong("proposalId");
        post(
                        Tokens.platform(w.acme()),
                        "/alias-proposals/" + id + "/reject",
                        "{\"reason\":\"not our name\"}")
                .statusCode(200)
                .body("status", equalTo("REJECTED"))
                .body("reason", equalTo("not our name"));
        given().auth()
                .oauth2(Tokens.admin())
                .get("/models/" + w.nordic())
                .then()
                .body("aliases", hasSize(0));
        given().auth()
                .oauth2(Tokens.maker(w.voicelab()))
                .get("/alias-proposals/" + id)
                .then()
                .statusCode(200)
                .body("status", equalTo("REJECTED"));
        given().auth()
                .oauth2(Tokens.maker(w.coqui()))
                .get("/alias-proposals/" + id)
                .then()
                .statusCode(404);
        expect(
                post(Tokens.admin(), "/alias-proposals/" + id + "/accept", "{}"),
                409,
                "PROPOSAL_DECIDED");
        expect(
                given().auth()
                        .oauth2(Tokens.platform(w.acme()))
                        .get("/alias-proposals?status=MAYBE")
                        .then(),
                422,
                "INVALID_VALUE");
        expect(
                given().auth()
                        .oauth2(Tokens.platform(w.acme()))
                        .get("/alias-proposals?platformId=" + w.nimbus())
                        .then(),
                403,
                "FORBIDDEN");
    }

    @Test
    void anAcceptanceThatWouldNowRepointAnotherMakersRefIsRefused() {
        Hijack w = hijackWorld();
        String ref = uid("contested");
        long id =
                post(
                                Tokens.maker(w.voicelab()),
                                "/models/" + w.nordic() + "/aliases",
                                alias(ref, w.acme(), null, null))
                        .statusCode(202)
                        .extract()
                        .jsonPath()
                        .getLong("proposalId");
        // meanwhile the platform names coqui's model so
        post(
                        Tokens.platform(w.acme()),
                        "/models/" + w.xtts() + "/aliases",
                        alias(ref, w.acme(), null, null))
                .statusCode(201);
        expect(
                post(Tokens.platform(w.acme()), "/alias-proposals/" + id + "/accept", "{}"),
                403,
                "REF_HELD_BY_ANOTHER_MAKER");
        given().auth()
                .oauth2(Tokens.admin())
                .get("/alias-proposals/" + id)
                .then()
                .body("status", equalTo("PROPOSED"));
    }

    // ---------------------------------------------------------------- namespaces

    @Test
    void namespacesBelongToOneMakerAndNeverOverlapAnothers() {
        String m1 = maker();
        String m2 = maker();
        String base = uid("org");
        String grant = "/makers/" + m1 + "/namespaces";
        String other = "/makers/" + m2 + "/namespaces";
        post(grant, "{\"prefix\":\"" + base + "/team/\"}")
                .statusCode(201)
                .body("prefix", equalTo(base + "/team/"))
                .body("makerId", equalTo(m1));
        // equal, equal but for case, containing, contained
        expect(post(other, "{\"prefix\":\"" + base + "/team/\"}"), 409, "NAMESPACE_TAKEN");
        expect(
                post(other, "{\"prefix\":\"" + base.toUpperCase() + "/TEAM/\"}"),
                409,
                "NAMESPACE_TAKEN");
        expect(post(other, "{\"prefix\":\"" + base + "/\"}"), 409, "NAMESPACE_TAKEN");
        expect(post(other, "{\"prefix\":\"" + base + "/team/sub/\"}"), 409, "NAMESPACE_TAKEN");
        // the same maker may hold the wider one; a sibling is free for another maker
        post(grant, "{\"prefix\":\"" + base + "/\"}").statusCode(201);
        expect(post(grant, "{\"prefix\":\"" + base + "/\"}"), 409, "NAMESPACE_TAKEN");
        post(other, "{\"prefix\":\"" + base + "-2/\"}").statusCode(201);
        // malformed
        expect(post(grant, "{\"prefix\":\"" + base + "\"}"), 422, "INVALID_PREFIX");
        expect(post(grant, "{\"prefix\":\"/\"}"), 422, "INVALID_PREFIX");
        expect(post(grant, "{\"prefix\":\"a b/\"}"), 422, "INVALID_PREFIX");
        expect(post(grant, "{\"prefix\":\"a//\"}"), 422, "INVALID_PREFIX");
        expect(post(grant, "{}"), 422, "MISSING_FIELD").body("errors[0].field", equalTo("prefix"));
        expect(post("/makers/ghost/namespaces", "{\"prefix\":\"gh/\"}"), 404, "NOT_FOUND");

        given().auth()
                .oauth2(Tokens.maker(m1))
                .get(grant)
                .then()
                .statusCode(200)
                .body("items.prefix", contains(base + "/", base + "/team/"))
                .body("total", equalTo(2));
    }

    // ---------------------------------------------------------------- re-pointing

    @Test
    void adminRepointsAnotherMakersRefFromTomorrowWithAReasonOnly() {
        Hijack w = hijackWorld();
        String aliases = "/models/" + w.nordic() + "/aliases";
        expect(post(aliases, alias(w.ref(), null, day(1), null)), 422, "REASON_REQUIRED")
                .body("errors[0].field", equalTo("reason"));
        expect(
                        post(aliases, alias(w.ref(), null, day(0), "transferred")),
                        422,
                        "RETROACTIVE_REPOINT")
                .body("errors[0].field", equalTo("validFrom"));
        expect(
                post(aliases, alias(w.ref(), null, null, "transferred")),
                422,
                "RETROACTIVE_REPOINT");
        expect(
                post(aliases, alias(w.ref(), null, "2026-01-01T00:00:00Z", "transferred")),
                422,
                "RETROACTIVE_REPOINT");
        post(aliases, alias(w.ref(), null, day(1), "coqui transferred the model"))
                .statusCode(201)
                .body("aliases.ref", contains(w.ref()))
                .body("aliases[0].validFrom", equalTo(day(1)));
        // coqui's alias stays for every instant before tomorrow
        given().auth()
                .oauth2(Tokens.admin())
                .get("/models/" + w.xtts())
                .then()
                .body("aliases.ref", contains(w.ref()))
                .body("aliases[0].validFrom", equalTo("1970-01-01T00:00:00Z"));
        // and coqui reads in the audit log who took it, when, and why
        given().auth()
                .oauth2(Tokens.maker(w.coqui()))
                .queryParam("entityType", "alias")
                .queryParam("entityId", w.ref())
                .get("/audit")
                .then()
                .statusCode(200)
                .body("total", equalTo(2))
                .body("items[1].action", equalTo("REPOINT"))
                .body("items[1].actor", equalTo("test-admin"))
                .body("items[1].role", equalTo("ADMIN"))
                .body("items[1].reason", equalTo("coqui transferred the model"))
                .body("items[1].before.modelId", equalTo(w.xtts()))
                .body("items[1].after.modelId", equalTo(w.nordic()))
                .body("items[1].after.validFrom", equalTo(day(1)));
    }

    @Test
    void adminNamesARefInAnotherMakersNamespaceWithAReasonOnly() {
        Hijack w = hijackWorld();
        String aliases = "/models/" + w.nordic() + "/aliases";
        String ref = w.ns() + "community-port";
        expect(post(aliases, alias(ref, null, null, null)), 422, "REASON_REQUIRED");
        post(aliases, alias(ref, null, null, "published by voicelab under coqui's org"))
                .statusCode(201)
                .body("aliases.ref", contains(ref));
        // the maker's own model id is always its own to name; another model's id never
        post(Tokens.maker(w.voicelab()), aliases, alias(w.nordic(), w.acme(), null, null))
                .statusCode(202);
        expect(post(aliases, alias(w.xtts(), null, null, "x")), 422, "ALIAS_SHADOWS_MODEL");
        // a maker re-points its own ref between its own models, as before
        String second = model(w.coqui(), "[]");
        post(
                        Tokens.maker(w.coqui()),
                        "/models/" + second + "/aliases",
                        alias(w.ref(), null, "2026-06-01T00:00:00Z", null))
                .statusCode(201);
        expect(
                post(
                        Tokens.maker(w.coqui()),
                        "/models/" + second + "/aliases",
                        alias(w.ref(), null, "2026-06-01T00:00:00Z", null)),
                409,
                "ALIAS_CONFLICT");
        given().auth()
                .oauth2(Tokens.admin())
                .get("/alias-proposals?platformId=" + w.acme() + "&status=PROPOSED")
                .then()
                .body("items[0].decidedAt", nullValue());
    }
}
