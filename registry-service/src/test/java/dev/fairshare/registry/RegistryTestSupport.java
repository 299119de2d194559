package dev.fairshare.registry;

import static io.restassured.RestAssured.given;

import dev.fairshare.localstack.FairshareTestResource;
import dev.fairshare.localstack.KafkaSecurity;
import dev.fairshare.localstack.Tokens;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Small helpers for the registry's REST tests. */
final class RegistryTestSupport {
    private RegistryTestSupport() {}

    static String uid(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static ValidatableResponse post(String path, String json) {
        return post(Tokens.admin(), path, json);
    }

    /** A POST with the given token. */
    static ValidatableResponse post(String token, String path, String json) {
        return given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body(json)
                .when()
                .post(path)
                .then();
    }

    /** Client properties of the test broker's super user, who may read and inspect everything. */
    static Map<String, Object> kafka() {
        return FairshareTestResource.infrastructure()
                .broker()
                .clientProperties(KafkaSecurity.SUPER_USER);
    }

    /** Every record of a (one-partition) topic, from the beginning, with the given key. */
    static List<ConsumerRecord<String, String>> records(String topic, String key) {
        Map<String, Object> props = kafka();
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        KafkaConsumer<String, String> c = new KafkaConsumer<>(props);
        try {
            TopicPartition tp = new TopicPartition(topic, 0);
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            long end = c.endOffsets(List.of(tp)).get(tp);
            List<ConsumerRecord<String, String>> out = new ArrayList<>();
            while (c.position(tp) < end) {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(500))) {
                    if (key.equals(r.key())) {
                        out.add(r);
                    }
                }
            }
            return out;
        } finally {
            // a reader of its own, without a group: nothing to commit, nothing to wait for (the
            // default close waits up to 30 s for the broker to end the fetch session)
            c.close(Duration.ofSeconds(1));
        }
    }

    /** Grants {@code maker} a fresh namespace and answers its prefix. */
    static String namespace(String maker) {
        String prefix = uid("ns") + "/";
        post("/makers/" + maker + "/namespaces", "{\"prefix\":\"" + prefix + "\"}").statusCode(201);
        return prefix;
    }

    static String maker() {
        String id = uid("mk");
        post("/makers", "{\"id\":\"" + id + "\",\"name\":\"Maker " + id + "\"}").statusCode(201);
        return id;
    }

    static String platform() {
        String id = uid("pf");
        post("/platforms", "{\"id\":\"" + id + "\",\"name\":\"Platform " + id + "\"}")
                .statusCode(201);
        return id;
    }

    static String model(String maker, String parentsJson) {
        String id = uid("md");
        post(
                        "/models",
                        "{\"id\":\""
                                + id
                                + "\",\"makerId\":\""
                                + maker
                                + "\",\"name\":\"M\","
                                + "\"license\":{\"id\":\"apache-2.0\",\"commercialUse\":true},\"parents\":"
                                + parentsJson
                                + "}")
                .statusCode(201);
        return id;
    }
}
