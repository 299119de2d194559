package dev.fairshare.usage;

import static dev.fairshare.usage.UsageFixtures.event;
import static dev.fairshare.usage.UsageFixtures.model;
import static dev.fairshare.usage.UsageFixtures.platform;
import static dev.fairshare.usage.UsageFixtures.uid;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fairshare.localstack.FairshareTestResource;
import dev.fairshare.localstack.Tokens;
import dev.fairshare.localstack.Topics;
import dev.fairshare.usage.kafka.UsageConsumer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * Offsets live with the data: restarting the consumer mid-stream loses nothing and counts nothing
 * twice.
 */
@QuarkusTest
@QuarkusTestResource(
        value = FairshareTestResource.class,
        initArgs = @ResourceArg(name = "database", value = "usage"))
class ConsumerRestartTest {
    @Inject UsageConsumer consumer;

    @Test
    void restartsMidStreamMatchTheIndependentTally() throws Exception {
        String platform = platform();
        String model = uid("md");
        model(model, "[]");
        Instant at = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(2, ChronoUnit.DAYS);
        int events = 3000;
        BigDecimal tally = BigDecimal.ZERO;
        try (KafkaProducer<String, String> p =
                FairshareTestResource.infrastructure().broker().producer(Topics.USAGE_PRINCIPAL)) {
            for (int i = 0; i < events; i++) {
                String id = platform + "-" + i;
                String amount = "0." + String.format("%04d", i % 10_000);
                tally = tally.add(new BigDecimal(amount));
                p.send(
                        new ProducerRecord<>(
                                "usage.in." + platform,
                                id,
                                event(id, platform, model, at, amount)));
                if (i % 1000 == 999) {
                    p.flush();
                    consumer.restart();
                }
            }
        }
        BigDecimal expected = tally;
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(
                        () -> {
                            JsonPath s =
                                    given().auth()
                                            .oauth2(Tokens.finance())
                                            .queryParam("platformId", platform)
                                            .get("/usage/summary")
                                            .then()
                                            .extract()
                                            .jsonPath();
                            assertThat(s.getString("items[0].events"))
                                    .isEqualTo(Integer.toString(events));
                            assertThat(new BigDecimal(s.getString("items[0].revenue[0].amount")))
                                    .isEqualByComparingTo(expected);
                            assertThat(new BigDecimal(s.getString("items[0].units.output_tokens")))
                                    .isEqualByComparingTo(BigDecimal.valueOf(800L * events));
                        });
    }
}
