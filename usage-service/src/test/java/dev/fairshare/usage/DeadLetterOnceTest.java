package dev.fairshare.usage;

import static dev.fairshare.usage.UsageFixtures.event;
import static dev.fairshare.usage.UsageFixtures.header;
import static dev.fairshare.usage.UsageFixtures.model;
import static dev.fairshare.usage.UsageFixtures.platform;
import static dev.fairshare.usage.UsageFixtures.records;
import static dev.fairshare.usage.UsageFixtures.send;
import static dev.fairshare.usage.UsageFixtures.uid;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fairshare.localstack.FairshareTestResource;
import dev.fairshare.localstack.Tokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * A batch whose transaction fails after it wrote its dead letters is read and stored again, but its
 * dead letters are not written a second time.
 */
@QuarkusTest
@QuarkusTestResource(
        value = FairshareTestResource.class,
        initArgs = @ResourceArg(name = "database", value = "usage"))
class DeadLetterOnceTest {
    @Inject AgroalDataSource db;

    @Test
    void aBatchRetriedAfterItsDeadLetterWasWrittenDoesNotWriteItAgain() throws Exception {
        String platform = platform();
        String model = uid("md");
        model(model, "[]");
        String topic = "usage.in." + platform;
        // the first transaction that stores a position of this topic past the poison record (at
        // offset 1 of the one partition that gets the records) fails: after the batch's dead
        // letters were written, before its events and offsets are committed
        try (Connection c = db.getConnection();
                Statement st = c.createStatement()) {
            st.execute("create sequence fail_once");
            st.execute(
                    "create function fail_once() returns trigger language plpgsql as $$ begin"
                            + " if new.topic = '"
                            + topic
                            + "' and new.next_offset > 1 and nextval('fail_once') = 1 then"
                            + " raise exception 'injected: the batch fails after its dead letters';"
                            + " end if; return new; end $$");
            st.execute(
                    "create trigger fail_once before insert or update on consumer_offset"
                            + " for each row execute function fail_once()");
        }
        try {
            Instant at = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(2, ChronoUnit.DAYS);
            // one key: one partition, one batch, the poison record between two good ones
            send(topic, "k", event(uid("e"), platform, model, at, "1.25"));
            send(topic, "k", "{\"eventId\":\"poison\",");
            send(topic, "k", event(uid("e"), platform, model, at, "2.50"));
            await().atMost(Duration.ofSeconds(60))
                    .untilAsserted(
                            () ->
                                    assertThat(
                                                    given().auth()
                                                            .oauth2(Tokens.finance())
                                                            .queryParam("platformId", platform)
                                                            .get("/usage/summary")
                                                            .then()
                                                            .extract()
                                                            .jsonPath()
                                                            .getString("items[0].events"))
                                            .isEqualTo("2"));
            // the batch did fail once and was stored by a second attempt, which came after the
            // first attempt's dead letter and before the events counted above
            try (Connection c = db.getConnection();
                    Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("select last_value from fail_once")) {
                rs.next();
                assertThat(rs.getLong(1)).isGreaterThanOrEqualTo(2);
            }
            List<ConsumerRecord<byte[], byte[]>> dead =
                    records("usage.dlq").stream()
                            .filter(d -> topic.equals(header(d, "source.topic")))
                            .toList();
            assertThat(dead).hasSize(1);
            assertThat(header(dead.get(0), "error.code")).isEqualTo("MALFORMED_JSON");
            assertThat(new String(dead.get(0).value(), StandardCharsets.UTF_8))
                    .isEqualTo("{\"eventId\":\"poison\",");
        } finally {
            try (Connection c = db.getConnection();
                    Statement st = c.createStatement()) {
                st.execute("drop trigger fail_once on consumer_offset");
                st.execute("drop function fail_once()");
                st.execute("drop sequence fail_once");
            }
        }
    }
}
