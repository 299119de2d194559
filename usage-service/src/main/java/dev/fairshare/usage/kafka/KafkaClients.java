package dev.fairshare.usage.kafka;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The service's Kafka clients. The shared producer is idempotent with acks=all: a send is
 * acknowledged only once every in-sync replica has it.
 */
@ApplicationScoped
public class KafkaClients {
    private final KafkaConnection kafka;
    private KafkaProducer<byte[], byte[]> producer;

    public KafkaClients(KafkaConnection kafka) {
        this.kafka = kafka;
    }

    public synchronized KafkaProducer<byte[], byte[]> producer() {
        if (producer == null) {
            Properties p = kafka.properties();
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
            p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
            p.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
            p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
            p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "60000");
            p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
            p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
            producer = new KafkaProducer<>(p);
        }
        return producer;
    }

    /** A consumer of {@code groupId} that is the static member {@code membership}. */
    public KafkaConsumer<byte[], byte[]> consumer(
            String groupId, StaticMembership membership, int maxPollRecords) {
        Properties p = kafka.properties();
        p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        membership.configure(p);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(maxPollRecords));
        p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, Integer.toString(4 * 1024 * 1024));
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(1024 * 1024));
        // new platforms' topics are picked up by the pattern subscription within seconds
        p.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, "3000");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return new KafkaConsumer<>(p);
    }

    @PreDestroy
    synchronized void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(10));
        }
    }
}
