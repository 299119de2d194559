package dev.fairshare.usage;

import static dev.fairshare.usage.UsageFixtures.event;
import static dev.fairshare.usage.UsageFixtures.modelKnownAs;
import static dev.fairshare.usage.UsageFixtures.platform;
import static dev.fairshare.usage.UsageFixtures.records;
import static dev.fairshare.usage.UsageFixtures.uid;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fairshare.localstack.FairshareTestResource;
import dev.fairshare.localstack.Tokens;
import dev.fairshare.usage.kafka.UsageConsumer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * An instance with {@code usage.consumer-enabled=false} is an HTTP edge only: it is ready without a
 * consumer, accepts events into their platform's topic, and stores nothing itself.
 */
@QuarkusTest
@TestProfile(EdgeOnlyTest.EdgeOnly.class)
@QuarkusTestResource(
        value = FairshareTestResource.class,
        initArgs = @ResourceArg(name = "database", value = "usage"))
class EdgeOnlyTest {
    /** The management interface, where readiness is. */
    @TestHTTPResource(value = "/", management = true)
    java.net.URL management;

    public static class EdgeOnly implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("usage.consumer-enabled", "false");
        }
    }

    @Inject UsageConsumer consumer;
    @Inject io.agroal.api.AgroalDataSource dataSource;

    @Test
    void anEdgeOnlyInstanceIsReadyAndWritesAcceptedEventsToKafkaWithoutStoringThem()
            throws Exception {
        String platform = platform();
        String model = uid("md");
        String ref = "org/" + model;
        modelKnownAs(model, ref);
        Instant at = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(1, ChronoUnit.HOURS);
        List<String> ids = List.of(uid("e"), uid("e"));
        String body =
                "["
                        + event(ids.get(0), platform, ref, at, "1")
                        + ","
                        + event(ids.get(1), platform, ref, at, "2")
                        + "]";
        // accepted once the registry replica knows the platform
        await().atMost(Duration.ofSeconds(20))
                .until(
                        () ->
                                Integer.valueOf(2)
                                        .equals(
                                                given().auth()
                                                        .oauth2(Tokens.platform(platform))
                                                        .contentType(ContentType.JSON)
                                                        .body(body)
                                                        .post("/usage-events")
                                                        .then()
                                                        .statusCode(202)
                                                        .extract()
                                                        .<Integer>path("accepted")));
        given().get(dev.fairshare.localstack.ManagementPaths.origin(management) + "/q/health/ready")
                .then()
                .statusCode(200)
                .body(
                        "checks.find { it.name == 'usage-ingestion' }.data.consuming",
                        org.hamcrest.Matchers.equalTo(false));
        assertThat(consumer.consuming()).isFalse();
        List<String> keys = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : records("usage.in." + platform)) {
            keys.add(new String(r.key(), StandardCharsets.UTF_8));
        }
        assertThat(keys).containsExactlyInAnyOrderElementsOf(ids);
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "select count(*) from event_key where platform_id = ?")) {
            ps.setString(1, platform);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertThat(rs.getLong(1)).isZero();
            }
        }
    }
}
