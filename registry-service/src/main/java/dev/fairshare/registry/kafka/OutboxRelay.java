package dev.fairshare.registry.kafka;

import dev.fairshare.registry.config.RegistryConfig;
import io.agroal.api.AgroalDataSource;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

/**
 * Publishes the outbox to the compacted {@code registry.*} topics, in commit order per key.
 *
 * <p>One relay works at a time (a PostgreSQL advisory lock). Rows are marked sent only after the
 * broker acknowledged them (acks=all). Of the unsent rows of one key only the newest is sent, so a
 * relay that restarts after sending but before marking re-sends the newest state, never an older
 * one: a compacted reader never sees a key go back in time. Each record carries the header {@code
 * outbox-id}, increasing per key, so that readers can also discard anything older than what they
 * hold, and, when the batch's span is sampled, its W3C {@code traceparent} (docs/operations.md
 * "Tracing").
 */
@ApplicationScoped
public class OutboxRelay {
    public static final String HEADER_OUTBOX_ID = "outbox-id";
    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private static final long LOCK_KEY = 0x6661697273686172L;

    @Inject AgroalDataSource dataSource;
    @Inject KafkaConnection kafka;

    @Inject RegistryConfig config;

    @Inject Tracer tracer;
    private volatile boolean running;
    private Thread thread;
    private KafkaProducer<String, String> producer;
    private Admin admin;

    void start(@Observes StartupEvent event) {
        running = true;
        thread = new Thread(this::loop, "outbox-relay");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        running = false;
        if (thread != null) {
            thread.interrupt();
            thread.join(10_000);
        }
        closeClients();
    }

    private void loop() {
        while (running) {
            try {
                if (relayOnce() < config.outbox().batchSize()) {
                    Thread.sleep(config.outbox().pollInterval().toMillis());
                }
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                if (!running) {
                    return;
                }
                LOG.warnf("outbox relay failed, will retry: %s", e.toString());
                closeClients();
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    /** Publishes one batch of unsent rows; returns how many rows it marked sent. */
    public int relayOnce() throws SQLException, InterruptedException, ExecutionException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                int n = relay(c);
                c.commit();
                return n;
            } catch (SQLException
                    | InterruptedException
                    | ExecutionException
                    | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /**
     * One batch in the transaction of {@code c}: under the relay lock, the newest unsent row of
     * each key is published, and every row read is marked sent once the broker acknowledged.
     */
    private int relay(Connection c) throws SQLException, InterruptedException, ExecutionException {
        if (!tryLock(c)) {
            return 0;
        }
        Batch batch = unsent(c);
        if (batch.ids().isEmpty()) {
            return 0;
        }
        ensureInboundTopics(batch.newest());
        publish(batch.newest());
        markSent(c, batch.ids());
        return batch.ids().size();
    }

    /** Whether this relay holds the lock (until the transaction ends); false when another does. */
    private static boolean tryLock(Connection c) throws SQLException {
        try (PreparedStatement lock = c.prepareStatement("select pg_try_advisory_xact_lock(?)")) {
            lock.setLong(1, LOCK_KEY);
            try (ResultSet rs = lock.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /** Every unsent row read (up to a batch), and of those the newest per key. */
    private record Batch(List<Long> ids, List<Row> newest) {}

    private Batch unsent(Connection c) throws SQLException {
        List<Long> ids = new ArrayList<>();
        Map<String, Row> newest = new LinkedHashMap<>();
        try (PreparedStatement ps =
                c.prepareStatement(
                        "select id, topic, message_key, payload from outbox where sent_at is null order by id limit ?")) {
            ps.setInt(1, config.outbox().batchSize());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Row row =
                            new Row(
                                    rs.getLong(1),
                                    rs.getString(2),
                                    rs.getString(3),
                                    rs.getString(4));
                    ids.add(row.id);
                    String topicKey = row.topic + "\u0000" + row.key;
                    newest.remove(topicKey);
                    newest.put(topicKey, row);
                }
            }
        }
        List<Row> toSend = new ArrayList<>(newest.values());
        toSend.sort((a, b) -> Long.compare(a.id, b.id));
        return new Batch(ids, toSend);
    }

    /** Sends the rows in order, each with its {@code outbox-id}, and waits for every ack. */
    private void publish(List<Row> rows) throws InterruptedException, ExecutionException {
        // one span a batch; its records carry its W3C trace context when it is sampled
        Span span =
                tracer.spanBuilder("registry publish")
                        .setSpanKind(SpanKind.PRODUCER)
                        .setNoParent()
                        .setAttribute("messaging.batch.message_count", rows.size())
                        .startSpan();
        Context trace = Context.root().with(span);
        boolean sampled = span.getSpanContext().isSampled();
        try {
            List<Future<RecordMetadata>> acks = new ArrayList<>();
            KafkaProducer<String, String> p = producer();
            for (Row row : rows) {
                ProducerRecord<String, String> record =
                        new ProducerRecord<>(row.topic, row.key, row.payload);
                record.headers()
                        .add(
                                HEADER_OUTBOX_ID,
                                Long.toString(row.id).getBytes(StandardCharsets.UTF_8));
                if (sampled) {
                    W3CTraceContextPropagator.getInstance()
                            .inject(
                                    trace,
                                    record.headers(),
                                    (h, k, v) -> h.add(k, v.getBytes(StandardCharsets.UTF_8)));
                }
                acks.add(p.send(record));
            }
            p.flush();
            for (Future<RecordMetadata> ack : acks) {
                ack.get();
            }
        } finally {
            span.end();
        }
    }

    private static void markSent(Connection c, List<Long> ids) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("update outbox set sent_at = now() where id = any(?)")) {
            Array array = c.createArrayOf("bigint", ids.toArray());
            ps.setArray(1, array);
            ps.executeUpdate();
        }
    }

    /** A platform's inbound topic exists before the platform is announced. */
    private void ensureInboundTopics(List<Row> rows)
            throws InterruptedException, ExecutionException {
        List<NewTopic> topics =
                rows.stream()
                        .filter(r -> r.topic.equals("registry.platforms") && r.payload != null)
                        .map(
                                r ->
                                        new NewTopic(
                                                        "usage.in." + r.key,
                                                        config.inboundTopicPartitions(),
                                                        (short) -1)
                                                // the largest batch a platform may write: what
                                                // usage-service's consumer fetches of a partition
                                                // at once (a compressed batch may still
                                                // decompress to far more; usage-service
                                                // quarantines a record it cannot hold)
                                                .configs(
                                                        Map.of(
                                                                TopicConfig
                                                                        .MAX_MESSAGE_BYTES_CONFIG,
                                                                Integer.toString(
                                                                        config
                                                                                .inboundTopicMaxMessageBytes()))))
                        .toList();
        if (topics.isEmpty()) {
            return;
        }
        for (var result : admin().createTopics(topics).values().values()) {
            try {
                result.get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            } catch (java.util.concurrent.TimeoutException e) {
                throw new ExecutionException("topic creation timed out", e);
            }
        }
        // platforms produce as soon as they see themselves announced: every partition leads first
        List<String> names = topics.stream().map(NewTopic::name).toList();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!admin().describeTopics(names).allTopicNames().get().values().stream()
                .flatMap(t -> t.partitions().stream())
                .allMatch(p -> p.leader() != null && !p.leader().isEmpty())) {
            if (System.nanoTime() > deadline) {
                throw new ExecutionException(new IllegalStateException("no leaders for " + names));
            }
            Thread.sleep(50);
        }
    }

    private synchronized KafkaProducer<String, String> producer() {
        if (producer == null) {
            Properties props = kafka.properties();
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
            props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
            props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
            props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
            props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
            producer = new KafkaProducer<>(props);
        }
        return producer;
    }

    private synchronized Admin admin() {
        if (admin == null) {
            admin = Admin.create(kafka.properties());
        }
        return admin;
    }

    private synchronized void closeClients() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
            producer = null;
        }
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
            admin = null;
        }
    }

    private record Row(long id, String topic, String key, String payload) {}
}
