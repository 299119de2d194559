package dev.fairshare.systemtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fairshare.localstack.Http;
import dev.fairshare.localstack.Infrastructure;
import dev.fairshare.localstack.ServiceProcess;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Kafka is the trust boundary: the packaged registry onboards two platforms on the authenticated
 * broker (SCRAM-SHA-512, StandardAuthorizer, no ACL no access), and each platform's credentials
 * write its own inbound topic and nothing else; a revoked credential no longer writes, on a new
 * connection or on one opened before the revocation. EndToEndIT shows the services working end to
 * end over the same broker. On the shared stack ({@link SystemStack#shared()}): its platforms are
 * {@code acl-a} and {@code acl-b}.
 */
class KafkaAclIT {
    static final ObjectMapper MAPPER = new ObjectMapper();
    static Infrastructure infra;
    static ServiceProcess registry;
    static String admin;

    @BeforeAll
    static void start() throws Exception {
        SystemStack stack = SystemStack.shared();
        infra = stack.infra;
        registry = stack.registry;
        admin =
                Http.token(
                        registry.url(),
                        "{\"username\":\"admin\",\"password\":\""
                                + Infrastructure.ADMIN_PASSWORD
                                + "\"}");
    }

    /** Onboards a platform and answers its Kafka credentials. */
    static JsonNode onboard(String id) throws Exception {
        return MAPPER.readTree(
                        Http.postExpect(
                                registry.url() + "/platforms",
                                "{\"id\":\"" + id + "\",\"name\":\"" + id + "\"}",
                                201,
                                admin))
                .get("kafka");
    }

    /** An idempotent producer with acks=all as the platform's client would be. */
    static KafkaProducer<String, String> producer(JsonNode kafka) {
        Map<String, Object> p =
                infra.broker()
                        .clientProperties(
                                kafka.get("username").asText(), kafka.get("password").asText());
        assertThat(p.get("bootstrap.servers")).isEqualTo(kafka.get("bootstrapServers").asText());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "10000");
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        return new KafkaProducer<>(p);
    }

    /** What writing one record to {@code topic} ends with: null when the broker took it. */
    static Throwable write(KafkaProducer<String, String> p, String topic) throws Exception {
        try {
            p.send(new ProducerRecord<>(topic, "k", "{}")).get(20, TimeUnit.SECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (org.apache.kafka.common.KafkaException e) {
            return e;
        }
    }

    static java.util.List<Throwable> causes(Throwable e) {
        java.util.List<Throwable> all = new java.util.ArrayList<>();
        for (Throwable t = e; t != null && !all.contains(t); t = t.getCause()) {
            all.add(t);
        }
        return all;
    }

    @Test
    void aPlatformWritesItsOwnTopicOnlyAndNotOnceRevoked() throws Exception {
        JsonNode a = onboard("acl-a");
        JsonNode b = onboard("acl-b");
        assertThat(a.get("topic").asText()).isEqualTo("usage.in.acl-a");
        try (KafkaProducer<String, String> pa = producer(a)) {
            // its own topic, once the registry's relay has created it
            await().atMost(Duration.ofSeconds(30)).until(() -> write(pa, "usage.in.acl-a") == null);
            // another platform's topic: billed to someone else
            assertThat(write(pa, "usage.in.acl-b")).isInstanceOf(TopicAuthorizationException.class);
            // the registry's and usage-service's own topics: payouts of its own making
            assertThat(write(pa, "registry.agreements"))
                    .isInstanceOf(TopicAuthorizationException.class);
            assertThat(write(pa, "usage.attributed"))
                    .isInstanceOf(TopicAuthorizationException.class);
            // b is unaffected: it writes its own topic
            try (KafkaProducer<String, String> pb = producer(b)) {
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> write(pb, "usage.in.acl-b") == null);
            }

            assertThat(
                            Http.send(
                                            "DELETE",
                                            registry.url() + "/platforms/acl-a/kafka-credentials",
                                            admin)
                                    .status())
                    .isEqualTo(204);
            // the connection opened before the revocation may no longer write
            assertThat(write(pa, "usage.in.acl-a")).isInstanceOf(TopicAuthorizationException.class);
        }
        // and a new one is not even authenticated
        try (KafkaProducer<String, String> again = producer(a)) {
            Throwable refused = write(again, "usage.in.acl-a");
            assertThat(refused).isNotNull();
            assertThat(causes(refused))
                    .hasAtLeastOneElementOfType(SaslAuthenticationException.class);
        }
    }
}
