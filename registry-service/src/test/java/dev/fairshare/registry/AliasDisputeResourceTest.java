package dev.fairshare.registry;

import static dev.fairshare.registry.RegistryTestSupport.post;
import static dev.fairshare.registry.RegistryTestSupport.uid;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fairshare.localstack.FairshareTestResource;
import dev.fairshare.localstack.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** POST /aliases/reattribute: validation, the alias it re-points, and the message it publishes. */
@QuarkusTest
@QuarkusTestResource(
        value = FairshareTestResource.class,
        initArgs = @ResourceArg(name = "database", value = "registry"))
class AliasDisputeResourceTest {
    static final String PROBLEM_JSON = "application/problem+json";

    @Inject ObjectMapper mapper;

    static ValidatableResponse dispute(String json) {
        return post("/aliases/reattribute", json);
    }

    static String body(
            String ref, String platformId, String toModelId, String from, String reason) {
        StringBuilder b = new StringBuilder("{");
        List<String> fields = new ArrayList<>();
        if (ref != null) fields.add("\"ref\":\"" + ref + "\"");
        if (platformId != null) fields.add("\"platformId\":\"" + platformId + "\"");
        if (toModelId != null) fields.add("\"toModelId\":\"" + toModelId + "\"");
        if (from != null) fields.add("\"from\":\"" + from + "\"");
        if (reason != null) fields.add("\"reason\":\"" + reason + "\"");
        return b.append(String.join(",", fields)).append('}').toString();
    }

    static void expectProblem(ValidatableResponse r, int status, String code, String field) {
        r.statusCode(status).contentType(PROBLEM_JSON).body("code", equalTo(code));
        if (field != null) {
            r.body("errors.field", contains(field)).body("errors.code", contains(code));
        }
    }

    @Test
    void eachInvalidDisputeHasItsCodeAndField() {
        String maker = RegistryTestSupport.maker();
        String platform = RegistryTestSupport.platform();
        String model = RegistryTestSupport.model(maker, "[]");
        String other = RegistryTestSupport.model(maker, "[]");
        String ref = uid("org") + "/m";
        String day = "2026-11-10T00:00:00Z";

        given().auth()
                .oauth2(Tokens.admin())
                .contentType(ContentType.JSON)
                .post("/aliases/reattribute")
                .then()
                .statusCode(400)
                .contentType(PROBLEM_JSON)
                .body("code", equalTo("MALFORMED_JSON"));
        dispute("{}")
                .statusCode(422)
                .contentType(PROBLEM_JSON)
                .body("code", equalTo("MISSING_FIELD"))
                .body("errors.field", containsInAnyOrder("ref", "toModelId", "from", "reason"));
        expectProblem(dispute(body(ref, null, model, day, " ")), 422, "MISSING_FIELD", "reason");
        expectProblem(
                dispute(body(ref, null, model, "2026-11-10T12:00:00Z", "r")),
                422,
                "NOT_WHOLE_DAY",
                "from");
        expectProblem(
                dispute(body(ref, null, model, "10 November", "r")), 422, "BAD_TIMESTAMP", "from");
        String tomorrow =
                LocalDate.now(ZoneOffset.UTC)
                        .plusDays(1)
                        .atStartOfDay(ZoneOffset.UTC)
                        .toInstant()
                        .toString();
        expectProblem(
                dispute(body(ref, null, model, tomorrow, "r")), 422, "FROM_IN_FUTURE", "from");
        expectProblem(
                dispute(body(ref, null, uid("md"), day, "r")), 422, "UNKNOWN_MODEL", "toModelId");
        expectProblem(
                dispute(body(ref, uid("pf"), model, day, "r")),
                422,
                "UNKNOWN_PLATFORM",
                "platformId");
        expectProblem(
                dispute(body(other, null, model, day, "r")), 422, "ALIAS_SHADOWS_MODEL", "ref");
        // a later alias of the same scope names another model: the dispute would not hold
        post(
                        "/models/" + other + "/aliases",
                        "{\"ref\":\""
                                + ref
                                + "\",\"platformId\":\""
                                + platform
                                + "\",\"validFrom\":\"2026-11-20T00:00:00Z\"}")
                .statusCode(201);
        expectProblem(
                dispute(body(ref, platform, model, day, "r")), 409, "LATER_ALIAS_IN_SCOPE", null);
        // in another scope (global) the later platform alias does not stand in the way
        dispute(body(ref, null, model, day, "r")).statusCode(202);
        // nothing was changed by the refused ones: the platform scope has the later alias only
        given().auth()
                .oauth2(Tokens.admin())
                .get("/models/" + model)
                .then()
                .statusCode(200)
                .body("aliases.platformId", contains(nullValue()))
                .body("aliases.validFrom", contains(day));
    }

    @Test
    void aDisputeRepointsTheScopesAliasAndPublishesTheCommand() throws Exception {
        String loser = RegistryTestSupport.maker();
        String gainer = RegistryTestSupport.maker();
        String platform = RegistryTestSupport.platform();
        String hijacker = RegistryTestSupport.model(loser, "[]");
        String owner = RegistryTestSupport.model(gainer, "[]");
        String ref = uid("org") + "/XTTS";
        post(
                        "/models/" + hijacker + "/aliases",
                        "{\"ref\":\""
                                + ref
                                + "\",\"platformId\":\""
                                + platform
                                + "\",\"validFrom\":\"2026-11-05T00:00:00Z\"}")
                .statusCode(201);

        // from the hijack's own day: the alias itself changes hands
        String disputeId =
                dispute(body(ref, platform, owner, "2026-11-05T00:00:00Z", "ticket 1"))
                        .statusCode(202)
                        .body("status", equalTo("ACCEPTED"))
                        .body("ref", equalTo(ref))
                        .body("platformId", equalTo(platform))
                        .body("toModelId", equalTo(owner))
                        .body("from", equalTo("2026-11-05T00:00:00Z"))
                        .body("reason", equalTo("ticket 1"))
                        .body("replacedModelId", equalTo(hijacker))
                        .extract()
                        .path("disputeId");
        given().auth()
                .oauth2(Tokens.admin())
                .get("/models/" + hijacker)
                .then()
                .statusCode(200)
                .body("aliases", org.hamcrest.Matchers.empty());
        given().auth()
                .oauth2(Tokens.admin())
                .get("/models/" + owner)
                .then()
                .statusCode(200)
                .body("aliases.ref", contains(ref))
                .body("aliases.platformId", contains(platform))
                .body("aliases.validFrom", contains("2026-11-05T00:00:00Z"));

        // from an earlier day: a new alias; the one of 2026-11-05 already names the owner
        String second =
                dispute(body(ref, platform, owner, "2026-11-01T00:00:00Z", "ticket 2"))
                        .statusCode(202)
                        .body("replacedModelId", nullValue())
                        .extract()
                        .path("disputeId");
        given().auth()
                .oauth2(Tokens.admin())
                .get("/models/" + owner)
                .then()
                .body(
                        "aliases.validFrom",
                        containsInAnyOrder("2026-11-05T00:00:00Z", "2026-11-01T00:00:00Z"));

        JsonNode first = awaitMessage(disputeId);
        assertThat(first.get("ref").asText()).isEqualTo(ref);
        assertThat(first.get("platformId").asText()).isEqualTo(platform);
        assertThat(first.get("toModelId").asText()).isEqualTo(owner);
        assertThat(first.get("from").asText()).isEqualTo("2026-11-05T00:00:00Z");
        assertThat(first.get("reason").asText()).isEqualTo("ticket 1");
        // both models' new states, by their outbox ids
        List<String> versioned = new ArrayList<>();
        first.get("registryVersions").fieldNames().forEachRemaining(versioned::add);
        assertThat(versioned).containsExactlyInAnyOrder(owner, hijacker);
        // the relay may publish the model's new state a moment after the command, and of a
        // model's unsent states only the newest (the second dispute's, if it came first): what a
        // consumer waits for is a state at least as new as the command names
        long named = first.get("registryVersions").get(owner).asLong();
        assertThat(named).isPositive();
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(
                        () ->
                                assertThat(newestOutboxIdOnTopic("registry.models", owner))
                                        .isGreaterThanOrEqualTo(named));
        JsonNode next = awaitMessage(second);
        List<String> versionedNext = new ArrayList<>();
        next.get("registryVersions").fieldNames().forEachRemaining(versionedNext::add);
        assertThat(versionedNext).containsExactly(owner);
        assertThat(next.get("registryVersions").get(owner).asLong())
                .isGreaterThan(first.get("registryVersions").get(owner).asLong());
    }

    /** The outbox-id of the newest record of {@code key} on {@code topic}; -1 when none. */
    private long newestOutboxIdOnTopic(String topic, String key) {
        return RegistryTestSupport.records(topic, key).stream()
                .mapToLong(
                        r ->
                                Long.parseLong(
                                        new String(r.headers().lastHeader("outbox-id").value())))
                .max()
                .orElse(-1L);
    }

    private JsonNode awaitMessage(String disputeId) throws Exception {
        List<ConsumerRecord<String, String>> found = new ArrayList<>();
        await().atMost(Duration.ofSeconds(60))
                .until(
                        () -> {
                            found.clear();
                            found.addAll(
                                    RegistryTestSupport.records(
                                            "registry.reattributions", disputeId));
                            return found.size() == 1;
                        });
        JsonNode m = mapper.readTree(found.get(0).value());
        assertThat(m.get("disputeId").asText()).isEqualTo(disputeId);
        return m;
    }
}
