package dev.fairshare.registry;

import static dev.fairshare.registry.RegistryTestSupport.bootstrap;
import static dev.fairshare.registry.RegistryTestSupport.post;
import static dev.fairshare.registry.RegistryTestSupport.records;
import static dev.fairshare.registry.RegistryTestSupport.uid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fairshare.localstack.FairshareTestResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap()))) {
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
}
