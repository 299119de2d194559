package dev.fairshare.usage.kafka;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
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
            Properties p = common();
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

    /**
     * Sends {@code records} with the shared producer and waits until the broker has acknowledged
     * each of them.
     */
    public void sendAll(Collection<ProducerRecord<byte[], byte[]>> records)
            throws InterruptedException, ExecutionException {
        for (Future<RecordMetadata> ack : send(records)) {
            ack.get();
        }
    }

    /** {@link #sendAll(Collection)}, waiting at most {@code timeout} for each acknowledgement. */
    public void sendAll(Collection<ProducerRecord<byte[], byte[]>> records, Duration timeout)
            throws InterruptedException, ExecutionException, TimeoutException {
        for (Future<RecordMetadata> ack : send(records)) {
            ack.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private List<Future<RecordMetadata>> send(Collection<ProducerRecord<byte[], byte[]>> records) {
        KafkaProducer<byte[], byte[]> p = producer();
        List<Future<RecordMetadata>> acks = new ArrayList<>(records.size());
        for (ProducerRecord<byte[], byte[]> r : records) {
            acks.add(p.send(r));
        }
        return acks;
    }

    /**
     * The settings every Kafka client of this service shares: the broker's address and this
     * service's credentials ({@link KafkaConnection}).
     */
    Properties common() {
        return kafka.properties();
    }

    /**
     * The largest record batch a platform may write to its inbound topic (the topic's {@code
     * max.message.bytes}, set by registry-service): a fetch of one partition holds at most this
     * much compressed data, and the broker returns a batch this large even above the fetch sizes.
     */
    static final int MAX_BATCH_BYTES = 1024 * 1024;

    /**
     * The compressed bytes one fetch response may hold: a thirty-second of the heap, at most 4 MiB
     * (the fetch and the records a poll decompresses from it live in the heap together).
     */
    static int fetchMaxBytes() {
        long heap = Runtime.getRuntime().maxMemory();
        return (int) Math.max(MAX_BATCH_BYTES, Math.min(4L * 1024 * 1024, heap / 32));
    }

    /** A consumer of {@code groupId} that is the static member {@code membership}. */
    public KafkaConsumer<byte[], byte[]> consumer(
            String groupId, StaticMembership membership, int maxPollRecords) {
        Properties p = common();
        p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        membership.configure(p);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(maxPollRecords));
        p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, Integer.toString(fetchMaxBytes()));
        // new platforms' topics are picked up by the pattern subscription within seconds
        p.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, "3000");
        return new KafkaConsumer<>(reading(p));
    }

    /**
     * A consumer without a group that returns one record a poll (the partitions are assigned and
     * positioned by the caller): the quarantine's careful reader.
     */
    public KafkaConsumer<byte[], byte[]> reader() {
        Properties p = common();
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "1");
        p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, Integer.toString(MAX_BATCH_BYTES));
        return new KafkaConsumer<>(reading(p));
    }

    /** The settings of the scout process ({@link RecordScout}), without the deserializers. */
    Properties scout() {
        Properties p = common();
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, Integer.toString(MAX_BATCH_BYTES));
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(MAX_BATCH_BYTES));
        return p;
    }

    private static Properties reading(Properties p) {
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(MAX_BATCH_BYTES));
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return p;
    }

    @PreDestroy
    synchronized void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(10));
        }
    }
}
