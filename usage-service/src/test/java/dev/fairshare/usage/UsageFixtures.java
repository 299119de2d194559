package dev.fairshare.usage;

import dev.fairshare.localstack.FairshareTestResource;
import dev.fairshare.localstack.KafkaSecurity;
import dev.fairshare.localstack.Tokens;
import dev.fairshare.localstack.Topics;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.awaitility.Awaitility;

/** Registry records and raw Kafka access for the usage tests, against the real broker. */
final class UsageFixtures {
    private UsageFixtures() {}

    /**
     * Client properties of {@code principal} on the test broker: a service's, or {@link
     * KafkaSecurity#SUPER_USER} to set up and read what no service may.
     */
    static Map<String, Object> kafka(String principal) {
        return FairshareTestResource.infrastructure().broker().clientProperties(principal);
    }

    static String uid(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static void send(String topic, String key, String value) {
        FairshareTestResource.infrastructure().broker().send(topic, key, value);
    }

    /** Onboards a platform as the registry would: its inbound topic, then its record. */
    static String platform() {
        String id = uid("pf");
        Topics.create(
                kafka(KafkaSecurity.SUPER_USER),
                List.of(new NewTopic(Topics.usageIn(id), 4, (short) 1)));
        send("registry.platforms", id, "{\"id\":\"" + id + "\",\"name\":\"P\"}");
        return id;
    }

    /** A model known on every platform by {@code ref}, from the beginning of time. */
    static void modelKnownAs(String id, String ref) {
        model(
                id,
                "[{\"ref\":\""
                        + ref
                        + "\",\"platformId\":null,\"validFrom\":\"1970-01-01T00:00:00Z\"}]");
    }

    static void model(String id, String aliasesJson) {
        send(
                "registry.models",
                id,
                "{\"id\":\""
                        + id
                        + "\",\"makerId\":\"mk\",\"name\":\"M\","
                        + "\"license\":{\"id\":\"mit\",\"commercialUse\":true},\"parents\":[],\"aliases\":"
                        + aliasesJson
                        + "}");
    }

    static String event(String eventId, String platform, String ref, Instant at, String amount) {
        return "{\"eventId\":\""
                + eventId
                + "\",\"platformId\":\""
                + platform
                + "\",\"modelRef\":\""
                + ref
                + "\","
                + "\"occurredAt\":\""
                + at
                + "\",\"customerType\":\"COMMERCIAL\","
                + "\"units\":{\"requests\":1,\"output_tokens\":800},\"revenue\":{\"amount\":\""
                + amount
                + "\",\"currency\":\"USD\"}}";
    }

    /**
     * Posts one event until it is accepted: until the registry replica knows the platform it is
     * UNKNOWN_PLATFORM (or 503 STARTING while the replica loads).
     */
    static void awaitAccepted(String platform, String event) {
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(
                        () ->
                                Integer.valueOf(1)
                                        .equals(
                                                RestAssured.given()
                                                        .auth()
                                                        .oauth2(Tokens.platform(platform))
                                                        .contentType(ContentType.JSON)
                                                        .body("[" + event + "]")
                                                        .post("/usage-events")
                                                        .then()
                                                        .extract()
                                                        .<Integer>path("accepted")));
    }

    /** {@code event} (of {@link #event}) as pooled usage of {@code subscriberId}. */
    static String pooled(String event, String subscriberId) {
        return event.replace(
                ",\"revenue\"", ",\"subscriberId\":\"" + subscriberId + "\",\"revenue\"");
    }

    /** Every record of a topic from the beginning (all partitions). */
    static List<ConsumerRecord<byte[], byte[]>> records(String topic) {
        Map<String, Object> props = kafka(KafkaSecurity.SUPER_USER);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(props)) {
            List<TopicPartition> tps =
                    c.partitionsFor(topic).stream()
                            .map(p -> new TopicPartition(topic, p.partition()))
                            .toList();
            c.assign(tps);
            c.seekToBeginning(tps);
            Map<TopicPartition, Long> ends = c.endOffsets(tps);
            List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
            while (tps.stream().anyMatch(tp -> c.position(tp) < ends.get(tp))) {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
            return out;
        }
    }

    static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
