package dev.fairshare.usage;

import static dev.fairshare.usage.UsageFixtures.header;
import static dev.fairshare.usage.UsageFixtures.kafka;
import static dev.fairshare.usage.UsageFixtures.records;
import static dev.fairshare.usage.UsageFixtures.uid;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fairshare.localstack.FairshareTestResource;
import dev.fairshare.localstack.KafkaSecurity;
import dev.fairshare.localstack.Topics;
import dev.fairshare.usage.kafka.PoisonRecovery;
import dev.fairshare.usage.store.DeadLettersWritten;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * What a start after an unclean stop does ({@link PoisonRecovery}): on a topic outside the inbound
 * pattern (the running consumer leaves it alone), a record that decompresses to more than the
 * scout's heap sits between good records. The good records before it are handed to the writer one
 * poll at a time, the record is dead-lettered once and passed, and nothing else is touched.
 */
@QuarkusTest
@QuarkusTestResource(
        value = FairshareTestResource.class,
        initArgs = @ResourceArg(name = "database", value = "usage"))
class PoisonRecoveryTest {
    /** More than the scout's heap (32 MiB): about 160 KB on the wire with lz4. */
    static final int BOMB_BYTES = 40 * 1024 * 1024;

    @Inject PoisonRecovery recovery;
    @Inject AgroalDataSource db;
    @Inject MeterRegistry metrics;

    @Test
    void theRecordThatKillsAReaderIsQuarantinedOnceAndTheRecordsBeforeItAreStored()
            throws Exception {
        String topic = uid("scout-test");
        String group = uid("recovery-test");
        Topics.create(kafka(KafkaSecurity.SUPER_USER), List.of(new NewTopic(topic, 2, (short) 1)));
        // outside usage.in.* (the running consumer must not read it): this service may read it
        try (Admin admin = Admin.create(kafka(KafkaSecurity.SUPER_USER))) {
            admin.createAcls(
                            KafkaSecurity.bindings(
                                    Topics.USAGE_PRINCIPAL,
                                    List.of(
                                            new Topics.Grant(
                                                    ResourceType.TOPIC,
                                                    topic,
                                                    PatternType.LITERAL,
                                                    List.of(
                                                            AclOperation.DESCRIBE,
                                                            AclOperation.READ)))))
                    .all()
                    .get();
        }
        TopicPartition p0 = new TopicPartition(topic, 0);
        TopicPartition p1 = new TopicPartition(topic, 1);
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            for (int i = 0; i < 3; i++) {
                send(producer, p0, "before-" + i);
            }
            producer.send(new ProducerRecord<>(topic, 0, null, new byte[BOMB_BYTES])).get();
            send(producer, p0, "after-0");
            send(producer, p0, "after-1");
            send(producer, p1, "other-0");
            send(producer, p1, "other-1");
        }

        List<ConsumerRecord<byte[], byte[]>> written = new ArrayList<>();
        PoisonRecovery.BatchWriter writer =
                records -> {
                    written.addAll(records);
                    return Map.of();
                };
        List<DeadLettersWritten.Source> quarantined =
                recovery.recover(group, Set.of(p0, p1), writer);

        assertThat(quarantined).containsExactly(new DeadLettersWritten.Source(topic, 0, 3));
        // the records before it, read one at a time; the rest is left to the consumer
        assertThat(written)
                .extracting(r -> r.partition() + "/" + r.offset() + "/" + value(r))
                .containsExactly("0/0/before-0", "0/1/before-1", "0/2/before-2");
        assertThat(storedPosition(group, topic, 0)).isEqualTo(4L);
        assertThat(storedPosition(group, topic, 1)).isNull();
        assertThat(deadLettersOf(topic)).containsExactly("UNPROCESSABLE_RECORD 0 3 null");
        assertThat(quarantineRows(topic)).isEqualTo(1);
        assertThat(
                        metrics.get("fairshare.quarantined.records")
                                .tag("platform", topic)
                                .functionCounter()
                                .count())
                .isEqualTo(1.0);

        // a process that died after the dead letter, before the position past it was stored:
        // the next start finds the record again, and does not write its dead letter twice
        try (Connection c = db.getConnection();
                PreparedStatement reset =
                        c.prepareStatement(
                                "update consumer_offset set next_offset = 3"
                                        + " where consumer_group = ? and topic = ? and partition_no = 0");
                PreparedStatement forget =
                        c.prepareStatement("delete from quarantined_record where topic = ?")) {
            reset.setString(1, group);
            reset.setString(2, topic);
            assertThat(reset.executeUpdate()).isEqualTo(1);
            forget.setString(1, topic);
            assertThat(forget.executeUpdate()).isEqualTo(1);
        }
        written.clear();
        assertThat(recovery.recover(group, Set.of(p0, p1), writer))
                .containsExactly(new DeadLettersWritten.Source(topic, 0, 3));
        assertThat(written).isEmpty();
        assertThat(storedPosition(group, topic, 0)).isEqualTo(4L);
        assertThat(deadLettersOf(topic)).containsExactly("UNPROCESSABLE_RECORD 0 3 null");
        assertThat(quarantineRows(topic)).isEqualTo(1);

        // past it, the partitions hold nothing a reader cannot hold: nothing more to do
        assertThat(recovery.recover(group, Set.of(p0, p1), writer)).isEmpty();
        assertThat(written).isEmpty();
    }

    static KafkaProducer<byte[], byte[]> producer() {
        // writes the inbound topic as the platform would (the test's super user may)
        Properties p = new Properties();
        p.putAll(kafka(KafkaSecurity.SUPER_USER));
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(2 * BOMB_BYTES));
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, Integer.toString(3 * BOMB_BYTES));
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return new KafkaProducer<>(p);
    }

    static void send(KafkaProducer<byte[], byte[]> producer, TopicPartition tp, String value)
            throws Exception {
        producer.send(
                        new ProducerRecord<>(
                                tp.topic(),
                                tp.partition(),
                                null,
                                value.getBytes(StandardCharsets.UTF_8)))
                .get();
    }

    static String value(ConsumerRecord<byte[], byte[]> r) {
        return new String(r.value(), StandardCharsets.UTF_8);
    }

    /** The dead letters read from {@code topic}: code, partition, offset, value. */
    static List<String> deadLettersOf(String topic) {
        return records(Topics.USAGE_DLQ).stream()
                .filter(r -> topic.equals(header(r, "source.topic")))
                .map(
                        r ->
                                header(r, "error.code")
                                        + " "
                                        + header(r, "source.partition")
                                        + " "
                                        + header(r, "source.offset")
                                        + " "
                                        + (r.value() == null ? "null" : value(r)))
                .toList();
    }

    Long storedPosition(String group, String topic, int partition) throws Exception {
        try (Connection c = db.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "select next_offset from consumer_offset"
                                        + " where consumer_group = ? and topic = ? and partition_no = ?")) {
            ps.setString(1, group);
            ps.setString(2, topic);
            ps.setInt(3, partition);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : null;
            }
        }
    }

    int quarantineRows(String topic) throws Exception {
        try (Connection c = db.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "select count(*) from quarantined_record"
                                        + " where topic = ? and platform_id = ? and partition_no = 0"
                                        + " and offset_no = 3 and reason like '%heap%'")) {
            ps.setString(1, topic);
            ps.setString(2, topic);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
