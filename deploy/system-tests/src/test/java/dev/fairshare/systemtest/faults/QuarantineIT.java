package dev.fairshare.systemtest.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fairshare.localstack.Broker;
import dev.fairshare.localstack.Http;
import dev.fairshare.localstack.Infrastructure;
import dev.fairshare.localstack.KafkaSecurity;
import dev.fairshare.localstack.ServiceProcess;
import dev.fairshare.localstack.Topics;
import dev.fairshare.systemtest.SystemStack;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * One platform writes one lz4 record that decompresses to more than usage-service's whole heap,
 * between good records of two platforms. usage-service runs as a process with the production heap
 * settings ({@link ServiceProcess}, {@code -Xmx136m -XX:+ExitOnOutOfMemoryError}); the test plays
 * the orchestrator and starts it again whenever it exits. The process dies once, reading the record
 * inside {@code KafkaConsumer.poll()}; the start after it quarantines the record (usage.dlq, {@code
 * UNPROCESSABLE_RECORD}) and every good event of both platforms is stored, exactly once.
 */
@Order(1)
class QuarantineIT {
    static final ObjectMapper MAPPER = new ObjectMapper();
    static final int EVENTS = 200;
    static final Instant AT = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(1, ChronoUnit.DAYS);

    /** Zeros: lz4 packs 150 MB into about 600 KB, below the topic's max.message.bytes of 1 MiB. */
    static final int BOMB_BYTES = 150 * 1024 * 1024;

    @Test
    void aRecordThatDecompressesPastTheHeapIsQuarantinedAfterOneRestart() throws Exception {
        long started = System.nanoTime();
        // its own stack, before the shared one boots (one in-process broker per JVM: SystemStack)
        SystemStack.closeShared();
        Path repo =
                Path.of(System.getProperty("fairshare.repo", "../..")).toAbsolutePath().normalize();
        Path logs = repo.resolve("deploy/system-tests/target/quarantine-logs");
        try (Infrastructure infra = Infrastructure.start(null, 0)) {
            broker = infra.broker();
            String bootstrap = broker.bootstrapServers();
            ServiceProcess registry =
                    ServiceProcess.start(
                            repo,
                            "registry-service",
                            BrokerProcess.freePort(),
                            infra.environment("registry"),
                            logs);
            ServiceProcess usage = null;
            try {
                registry.awaitReady(Duration.ofMinutes(2));
                String admin =
                        Http.token(
                                registry.url(),
                                "{\"username\":\"admin\",\"password\":\""
                                        + Infrastructure.ADMIN_PASSWORD
                                        + "\"}");
                Http.postExpect(
                        registry.url() + "/accounts",
                        "{\"username\":\"fin\",\"password\":\"finance-password\",\"role\":\"FINANCE\"}",
                        201,
                        admin);
                String finance =
                        Http.token(
                                registry.url(),
                                "{\"username\":\"fin\",\"password\":\"finance-password\"}");
                for (String p : List.of("qa", "qb")) {
                    Http.postExpect(
                            registry.url() + "/platforms",
                            "{\"id\":\"" + p + "\",\"name\":\"" + p + "\"}",
                            201,
                            admin);
                }
                // the registry creates each inbound topic with the bound on its batches
                await().atMost(Duration.ofSeconds(30))
                        // the topic may not exist yet: the registry's relay creates it
                        .ignoreExceptions()
                        .untilAsserted(
                                () -> {
                                    for (String p : List.of("qa", "qb")) {
                                        assertThat(maxMessageBytes(bootstrap, "usage.in." + p))
                                                .isEqualTo("1048576");
                                    }
                                });

                // everything is in the topics before usage-service starts: the bomb's partition
                // holds good records of its platform before and after it
                Map<String, BigDecimal> revenue = new TreeMap<>();
                TopicPartition bombAt;
                long bombOffset;
                try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap)) {
                    send(producer, 0, revenue);
                    RecordMetadata bomb =
                            producer.send(
                                            new ProducerRecord<>(
                                                    "usage.in.qa",
                                                    "qa-bomb".getBytes(StandardCharsets.UTF_8),
                                                    new byte[BOMB_BYTES]))
                                    .get();
                    bombAt = new TopicPartition(bomb.topic(), bomb.partition());
                    bombOffset = bomb.offset();
                    send(producer, EVENTS, revenue);
                }

                int port = BrokerProcess.freePort();
                List<Integer> exits = new ArrayList<>();
                usage = startUsage(repo, port, infra, logs, exits);
                ServiceProcess[] current = {usage};
                // the orchestrator: a process that exited is started again
                await().atMost(Duration.ofMinutes(3))
                        .pollInterval(Duration.ofMillis(500))
                        .untilAsserted(
                                () -> {
                                    if (!current[0].process().isAlive() && exits.size() < 3) {
                                        exits.add(current[0].process().exitValue());
                                        current[0] = startUsage(repo, port, infra, logs, exits);
                                    }
                                    assertThat(stored(infra)).isEqualTo(expected(revenue));
                                });
                usage = current[0];
                assertThat(usage.process().isAlive()).isTrue();
                // one death: out of memory (the JVM's exit code 3), inside the poll
                assertThat(exits).containsExactly(3);

                ConsumerRecord<byte[], byte[]> dead = onlyDeadLetter(bootstrap);
                assertThat(header(dead, "error.code")).isEqualTo("UNPROCESSABLE_RECORD");
                assertThat(header(dead, "source.topic")).isEqualTo("usage.in.qa");
                assertThat(header(dead, "source.partition"))
                        .isEqualTo(Integer.toString(bombAt.partition()));
                assertThat(header(dead, "source.offset")).isEqualTo(Long.toString(bombOffset));
                assertThat(dead.value()).isNull();

                JsonNode quarantine =
                        MAPPER.readTree(Http.get(usage.url() + "/quarantine", finance).body());
                assertThat(quarantine.get("total").asLong()).isEqualTo(1);
                JsonNode q = quarantine.get("items").get(0);
                assertThat(q.get("platformId").asText()).isEqualTo("qa");
                assertThat(q.get("partition").asInt()).isEqualTo(bombAt.partition());
                assertThat(q.get("offset").asLong()).isEqualTo(bombOffset);
                assertThat(Http.get(usage.managementUrl() + "/q/metrics").body())
                        .containsPattern(
                                "fairshare_quarantined_records_total\\{[^}]*platform=\"qa\"[^}]*\\} 1.0");
            } finally {
                if (usage != null) {
                    usage.close();
                }
                registry.close();
            }
        }
        System.out.printf(
                "QuarantineIT took %d s%n",
                Duration.ofNanos(System.nanoTime() - started).toSeconds());
    }

    static ServiceProcess startUsage(
            Path repo, int port, Infrastructure infra, Path logs, List<Integer> exits) {
        ServiceProcess s =
                ServiceProcess.start(repo, "usage-service", port, infra.environment("usage"), logs);
        try {
            s.awaitReady(Duration.ofMinutes(2));
        } catch (IllegalStateException e) {
            // it may die before it is ready; the orchestrator starts it again
        }
        return s;
    }

    /**
     * The broker of the running test; every client here gets its connection from {@link #kafka}.
     */
    static Broker broker;

    /** A client's connection to the broker (address and credentials) as {@code principal}. */
    static Properties kafka(String bootstrap, String principal) {
        Properties p = new Properties();
        p.putAll(broker.clientProperties(principal));
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return p;
    }

    static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
        // writes usage.in.* as usage-service's HTTP edge may
        Properties p = kafka(bootstrap, Topics.USAGE_PRINCIPAL);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        // the client checks a record's size before compression: let the bomb through
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(2 * BOMB_BYTES));
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, Long.toString(3L * BOMB_BYTES));
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return new KafkaProducer<>(p);
    }

    /** EVENTS good events of each platform from {@code first} on, counted in {@code revenue}. */
    static void send(
            KafkaProducer<byte[], byte[]> producer, int first, Map<String, BigDecimal> revenue)
            throws Exception {
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        for (int i = first; i < first + EVENTS; i++) {
            for (String p : List.of("qa", "qb")) {
                BigDecimal amount = new BigDecimal("0.01").multiply(BigDecimal.valueOf(1 + i % 7));
                String id = p + "-" + i;
                String event =
                        "{\"eventId\":\""
                                + id
                                + "\",\"platformId\":\""
                                + p
                                + "\",\"modelRef\":\"some/model\",\"occurredAt\":\""
                                + AT.plusSeconds(i)
                                + "\",\"customerType\":\"COMMERCIAL\",\"units\":{\"requests\":1},"
                                + "\"revenue\":{\"amount\":\""
                                + amount.toPlainString()
                                + "\",\"currency\":\"USD\"}}";
                acks.add(
                        producer.send(
                                new ProducerRecord<>(
                                        "usage.in." + p,
                                        id.getBytes(StandardCharsets.UTF_8),
                                        event.getBytes(StandardCharsets.UTF_8))));
                revenue.merge(p, amount, BigDecimal::add);
            }
        }
        for (Future<RecordMetadata> a : acks) {
            a.get();
        }
    }

    /** platform → "events revenue" as the producer counted them. */
    static Map<String, String> expected(Map<String, BigDecimal> revenue) {
        Map<String, String> out = new TreeMap<>();
        revenue.forEach(
                (p, r) -> out.put(p, (2 * EVENTS) + " " + r.stripTrailingZeros().toPlainString()));
        return out;
    }

    /** platform → "events revenue" as usage-service stored them. */
    static Map<String, String> stored(Infrastructure infra) throws Exception {
        var db = infra.database();
        Map<String, String> out = new TreeMap<>();
        try (Connection c =
                        DriverManager.getConnection(db.jdbcUrl("usage"), db.user(), db.password());
                PreparedStatement ps =
                        c.prepareStatement(
                                "select platform_id, count(*), sum(revenue) from usage_event"
                                        + " group by platform_id")) {
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(
                            rs.getString(1),
                            rs.getLong(2)
                                    + " "
                                    + rs.getBigDecimal(3).stripTrailingZeros().toPlainString());
                }
            }
        } catch (java.sql.SQLException e) {
            // the schema is not there before usage-service first started
            return Map.of();
        }
        return out;
    }

    static String maxMessageBytes(String bootstrap, String topic) throws Exception {
        try (Admin a = Admin.create(kafka(bootstrap, KafkaSecurity.SUPER_USER))) {
            ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            Config c = a.describeConfigs(List.of(r)).all().get().get(r);
            return c.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG).value();
        }
    }

    /** The one record of usage.dlq. */
    static ConsumerRecord<byte[], byte[]> onlyDeadLetter(String bootstrap) {
        Properties p = kafka(bootstrap, KafkaSecurity.SUPER_USER);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
            TopicPartition dlq = new TopicPartition("usage.dlq", 0);
            c.assign(List.of(dlq));
            c.seekToBeginning(List.of(dlq));
            assertThat(c.endOffsets(List.of(dlq)).get(dlq)).as("records in usage.dlq").isEqualTo(1);
            List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30))
                    .until(
                            () -> {
                                c.poll(Duration.ofMillis(200)).forEach(out::add);
                                return !out.isEmpty();
                            });
            return out.get(0);
        }
    }

    static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
