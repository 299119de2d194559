package dev.fairshare.registry;

import static dev.fairshare.registry.RegistryTestSupport.kafka;
import static dev.fairshare.registry.RegistryTestSupport.post;
import static dev.fairshare.registry.RegistryTestSupport.records;
import static dev.fairshare.registry.RegistryTestSupport.uid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fairshare.localstack.FairshareTestResource;
import dev.fairshare.localstack.Tokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(
        value = FairshareTestResource.class,
        initArgs = @ResourceArg(name = "database", value = "registry"))
class OutboxPublicationTest {
    @Inject AgroalDataSource dataSource;
    @Inject ObjectMapper mapper;

    private JsonNode json(String s) throws Exception {
        return mapper.readTree(s);
    }

    @Test
    void changesAppearOnTheirTopicsInCommitOrder() throws Exception {
        String maker = uid("mk");
        String platform = uid("pf");
        String model = uid("md");
        String agreement = uid("ag");
        post("/makers", "{\"id\":\"" + maker + "\",\"name\":\"Maker\"}").statusCode(201);
        post("/platforms", "{\"id\":\"" + platform + "\",\"name\":\"Platform\"}").statusCode(201);
        post(
                        "/models",
                        "{\"id\":\""
                                + model
                                + "\",\"makerId\":\""
                                + maker
                                + "\",\"name\":\"M\",\"license\":{\"id\":\"mit\",\"commercialUse\":true}}")
                .statusCode(201);
        String second = uid("md");
        post(
                        "/models",
                        "{\"id\":\""
                                + second
                                + "\",\"makerId\":\""
                                + maker
                                + "\",\"name\":\"M2\",\"license\":{\"id\":\"mit\",\"commercialUse\":true}}")
                .statusCode(201);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> records("registry.models", model).size() == 1);
        post("/models/" + model + "/aliases", "{\"ref\":\"org/" + model + "\"}").statusCode(201);
        post(
                        "/agreements",
                        "{\"id\":\""
                                + agreement
                                + "\",\"makerId\":\""
                                + maker
                                + "\",\"platformId\":\""
                                + platform
                                + "\",\"currency\":\"EUR\",\"validFrom\":\"2026-01-01T00:00:00Z\",\"terms\":{\"type\":\"REVENUE_SHARE\",\"rate\":\"0.1\"}}")
                .statusCode(201);

        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(
                        () -> {
                            assertThat(records("registry.makers", maker)).hasSize(1);
                            assertThat(records("registry.agreements", agreement)).hasSize(1);
                            assertThat(records("registry.models", model)).hasSize(2);
                        });
        List<ConsumerRecord<String, String>> models = records("registry.models", model);
        assertThat(json(models.get(0).value()).get("aliases")).isEmpty();
        // commit order across keys: the first model was created before the second
        assertThat(models.get(0).offset())
                .isLessThan(records("registry.models", second).get(0).offset());
        assertThat(json(models.get(1).value()).get("aliases").get(0).get("ref").asText())
                .isEqualTo("org/" + model);
        assertThat(
                        json(records("registry.platforms", platform).get(0).value())
                                .get("name")
                                .asText())
                .isEqualTo("Platform");
        assertThat(
                        json(records("registry.agreements", agreement).get(0).value())
                                .at("/terms/rate")
                                .asText())
                .isEqualTo("0.1");
        // onboarding the platform created its inbound topic with several partitions
        try (Admin admin = Admin.create(kafka())) {
            var topic =
                    admin.describeTopics(List.of("usage.in." + platform))
                            .allTopicNames()
                            .get()
                            .get("usage.in." + platform);
            assertThat(topic.partitions()).hasSize(4);
        }
    }

    @Test
    void aRelayRestartedBeforeMarkingNeverPublishesAnOlderState() throws Exception {
        String maker = uid("mk");
        post("/makers", "{\"id\":\"" + maker + "\",\"name\":\"Maker\"}").statusCode(201);
        String model = uid("md");
        post(
                        "/models",
                        "{\"id\":\""
                                + model
                                + "\",\"makerId\":\""
                                + maker
                                + "\",\"name\":\"M\",\"license\":{\"id\":\"mit\",\"commercialUse\":true}}")
                .statusCode(201);
        for (int i = 0; i < 3; i++) {
            post("/models/" + model + "/aliases", "{\"ref\":\"r" + i + "\"}").statusCode(201);
        }
        await().atMost(Duration.ofSeconds(20))
                .until(
                        () ->
                                records("registry.models", model).size() >= 1
                                        && json(records("registry.models", model)
                                                                .get(
                                                                        records(
                                                                                                "registry.models",
                                                                                                model)
                                                                                        .size()
                                                                                - 1)
                                                                .value())
                                                        .get("aliases")
                                                        .size()
                                                == 3);
        int before = records("registry.models", model).size();
        // simulate a relay that crashed after sending but before marking: the rows are unsent again
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "update outbox set sent_at = null where message_key = ?")) {
            ps.setString(1, model);
            assertThat(ps.executeUpdate()).isEqualTo(4);
        }
        await().atMost(Duration.ofSeconds(20))
                .until(() -> records("registry.models", model).size() > before);
        List<ConsumerRecord<String, String>> all = records("registry.models", model);
        // what the re-run added is the newest state only: a compacted reader never goes back in
        // time
        assertThat(all).hasSize(before + 1);
        assertThat(json(all.get(all.size() - 1).value()).get("aliases")).hasSize(3);
        long lastHeader = -1;
        for (ConsumerRecord<String, String> r : all) {
            long id = Long.parseLong(new String(r.headers().lastHeader("outbox-id").value()));
            assertThat(id).isGreaterThanOrEqualTo(lastHeader);
            lastHeader = id;
        }
    }

    /** The values of a proposal's records on registry.alias-proposals, oldest first. */
    private List<JsonNode> proposalRecords(long id) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (ConsumerRecord<String, String> r :
                records("registry.alias-proposals", Long.toString(id))) {
            out.add(json(r.value()));
        }
        return out;
    }

    @Test
    void aProposalIsPublishedWithItsStatusWhenProposedAcceptedAndRejected() throws Exception {
        String maker = RegistryTestSupport.maker();
        String platform = RegistryTestSupport.platform();
        String model = RegistryTestSupport.model(maker, "[]");
        long accepted = propose(maker, model, platform, uid("named"));
        long rejected = propose(maker, model, platform, uid("refused"));

        await().atMost(Duration.ofSeconds(20))
                .until(
                        () ->
                                proposalRecords(accepted).size() == 1
                                        && proposalRecords(rejected).size() == 1);
        JsonNode proposed = proposalRecords(accepted).get(0);
        assertThat(proposed.get("proposalId").asLong()).isEqualTo(accepted);
        assertThat(proposed.get("status").asText()).isEqualTo("PROPOSED");
        assertThat(proposed.get("makerId").asText()).isEqualTo(maker);
        assertThat(proposed.get("modelId").asText()).isEqualTo(model);
        assertThat(proposed.get("platformId").asText()).isEqualTo(platform);
        assertThat(proposed.get("proposedAt").isTextual()).isTrue();
        assertThat(proposed.get("decidedAt").isNull()).isTrue();

        post(Tokens.platform(platform), "/alias-proposals/" + accepted + "/accept", "{}")
                .statusCode(200);
        post(
                        Tokens.platform(platform),
                        "/alias-proposals/" + rejected + "/reject",
                        "{\"reason\":\"not our name\"}")
                .statusCode(200);
        await().atMost(Duration.ofSeconds(20))
                .until(
                        () ->
                                proposalRecords(accepted).size() == 2
                                        && proposalRecords(rejected).size() == 2);
        JsonNode acceptedNow = proposalRecords(accepted).get(1);
        assertThat(acceptedNow.get("status").asText()).isEqualTo("ACCEPTED");
        assertThat(acceptedNow.get("decidedBy").asText()).isEqualTo("platform-" + platform);
        assertThat(acceptedNow.get("decidedAt").isTextual()).isTrue();
        assertThat(acceptedNow.get("proposedAt")).isEqualTo(proposed.get("proposedAt"));
        JsonNode rejectedNow = proposalRecords(rejected).get(1);
        assertThat(rejectedNow.get("status").asText()).isEqualTo("REJECTED");
        assertThat(rejectedNow.get("reason").asText()).isEqualTo("not our name");
    }

    private static long propose(String maker, String model, String platform, String ref) {
        return post(
                        Tokens.maker(maker),
                        "/models/" + model + "/aliases",
                        "{\"ref\":\"" + ref + "\",\"platformId\":\"" + platform + "\"}")
                .statusCode(202)
                .extract()
                .jsonPath()
                .getLong("proposalId");
    }
}
