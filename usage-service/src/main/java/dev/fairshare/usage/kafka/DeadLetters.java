package dev.fairshare.usage.kafka;

import dev.fairshare.usage.domain.EventError;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The records of {@code usage.dlq}: an inbound record that cannot be stored, with its error and
 * where it was read in headers ({@code error.code}, {@code error.message}, {@code source.topic},
 * {@code source.partition}, {@code source.offset}).
 */
final class DeadLetters {
    static final String DLQ = "usage.dlq";

    private DeadLetters() {}

    /**
     * The most of a record's value a dead letter carries. A platform's producer may compress a
     * record of megabytes into a batch that the broker takes; no producer can write it again as it
     * is (1 MB per record), and a dead letter that cannot be written would stop its partition.
     */
    static final int MAX_DEAD_LETTER_BYTES = 900 * 1024;

    /** The most of a record's key a dead letter carries (keys are event ids of 200 characters). */
    static final int MAX_DEAD_LETTER_KEY_BYTES = 1024;

    /** The dead letter of {@code r}, which broke {@code errors} (the first one is its code). */
    static ProducerRecord<byte[], byte[]> of(
            ConsumerRecord<byte[], byte[]> r, List<EventError> errors) {
        EventError main = errors.get(0);
        String message =
                errors.stream()
                        .map(e -> (e.field() == null ? "" : e.field() + ": ") + e.message())
                        .reduce((a, b) -> a + "; " + b)
                        .orElse("");
        return of(r.topic(), r.partition(), r.offset(), r.key(), r.value(), main.code(), message);
    }

    /**
     * The dead letter of the record at {@code topic}/{@code partition}/{@code offset}: the head of
     * its key and value (null when unknown), its error and where it was read.
     */
    static ProducerRecord<byte[], byte[]> of(
            String topic,
            int partition,
            long offset,
            byte[] key,
            byte[] value,
            String code,
            String message) {
        if (key != null && key.length > MAX_DEAD_LETTER_KEY_BYTES) {
            key = Arrays.copyOf(key, MAX_DEAD_LETTER_KEY_BYTES);
        }
        byte[] head = value;
        if (value != null && value.length > MAX_DEAD_LETTER_BYTES) {
            head = Arrays.copyOf(value, MAX_DEAD_LETTER_BYTES);
        }
        ProducerRecord<byte[], byte[]> d = new ProducerRecord<>(DLQ, key, head);
        if (head != value) {
            // the head of the value; the whole record stays at source.topic/partition/offset
            d.headers()
                    .add(
                            "error.truncated-from",
                            Integer.toString(value.length).getBytes(StandardCharsets.UTF_8));
        }
        d.headers().add("error.code", code.getBytes(StandardCharsets.UTF_8));
        d.headers().add("error.message", message.getBytes(StandardCharsets.UTF_8));
        d.headers().add("source.topic", topic.getBytes(StandardCharsets.UTF_8));
        d.headers()
                .add(
                        "source.partition",
                        Integer.toString(partition).getBytes(StandardCharsets.UTF_8));
        d.headers().add("source.offset", Long.toString(offset).getBytes(StandardCharsets.UTF_8));
        return d;
    }
}
