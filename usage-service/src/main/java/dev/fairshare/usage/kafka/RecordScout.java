package dev.fairshare.usage.kafka;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * A throw-away process that reads ranges of inbound partitions one record at a time, so that a
 * record no reader can hold kills this process instead of the service. Started by {@link
 * PoisonRecovery} with a small heap and {@code -XX:+ExitOnOutOfMemoryError}; it uses the Kafka
 * client alone (no Quarkus), so its class path is the Kafka client's jars and this class.
 *
 * <p>Standard input: a {@link Properties} text with the Kafka client settings, {@code scout.ranges}
 * ({@code topic/partition/from/to} separated by commas) and {@code scout.limit} (the most records
 * read per range). Standard output, one line each: {@code scan <topic> <partition>} before a range,
 * {@code read <offset> <bytes>} per record read, {@code clean <position>} once a range is read,
 * {@code fail <message>} when reading a record throws. Exit codes: 0 all read, 3 out of memory (the
 * JVM's), 4 a record could not be read, 2 anything else (inconclusive).
 */
public final class RecordScout {
    static final String RANGES = "scout.ranges";
    static final String LIMIT = "scout.limit";
    static final Duration RANGE_TIMEOUT = Duration.ofSeconds(60);

    private RecordScout() {}

    /** A range of offsets of one partition: [from, to). */
    record Range(TopicPartition tp, long from, long to) {
        String encode() {
            return tp.topic() + "/" + tp.partition() + "/" + from + "/" + to;
        }

        static Range decode(String s) {
            String[] p = s.split("/");
            return new Range(
                    new TopicPartition(p[0], Integer.parseInt(p[1])),
                    Long.parseLong(p[2]),
                    Long.parseLong(p[3]));
        }
    }

    public static void main(String[] args) {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        try {
            Properties in = new Properties();
            in.load(System.in);
            int limit = Integer.parseInt(in.getProperty(LIMIT));
            List<Range> ranges = new ArrayList<>();
            for (String r : in.getProperty(RANGES).split(",")) {
                ranges.add(Range.decode(r));
            }
            Properties p = new Properties();
            in.stringPropertyNames().stream()
                    .filter(k -> !k.startsWith("scout."))
                    .forEach(k -> p.put(k, in.getProperty(k)));
            p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "1");
            p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
            p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
            try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
                for (Range r : ranges) {
                    scan(c, r, limit, out);
                }
            }
            out.println("end");
            System.exit(0);
        } catch (RuntimeException | java.io.IOException e) {
            out.println("error " + e);
            System.exit(2);
        }
    }

    private static void scan(KafkaConsumer<byte[], byte[]> c, Range r, int limit, PrintStream out) {
        c.assign(List.of(r.tp()));
        c.seek(r.tp(), r.from());
        out.println("scan " + r.tp().topic() + " " + r.tp().partition());
        int read = 0;
        long deadline = System.nanoTime() + RANGE_TIMEOUT.toNanos();
        while (c.position(r.tp()) < r.to() && read < limit) {
            if (System.nanoTime() > deadline) {
                out.println("error timeout at " + c.position(r.tp()));
                System.exit(2);
            }
            Iterable<ConsumerRecord<byte[], byte[]>> records;
            try {
                records = c.poll(Duration.ofMillis(500));
            } catch (KafkaException e) {
                if (!unreadable(e)) {
                    throw e;
                }
                // a record that the client cannot read (corrupt, undecodable): the service's
                // consumer would fail on it at every poll
                out.println("fail " + String.valueOf(e.getMessage()).replace('\n', ' '));
                System.exit(4);
                return;
            }
            for (ConsumerRecord<byte[], byte[]> rec : records) {
                read++;
                out.println(
                        "read "
                                + rec.offset()
                                + " "
                                + (rec.value() == null ? 0 : rec.value().length));
            }
        }
        out.println("clean " + c.position(r.tp()));
    }

    /** Whether {@code e} is about the record read, not about the connection or the rights. */
    static boolean unreadable(KafkaException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof RecordDeserializationException
                    || t instanceof CorruptRecordException
                    || t instanceof InvalidRecordException) {
                return true;
            }
        }
        return false;
    }
}
