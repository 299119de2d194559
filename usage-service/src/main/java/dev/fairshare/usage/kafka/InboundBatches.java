package dev.fairshare.usage.kafka;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fairshare.usage.config.Tracing;
import dev.fairshare.usage.config.UsageConfig;
import dev.fairshare.usage.domain.Attribution;
import dev.fairshare.usage.domain.EventError;
import dev.fairshare.usage.domain.EventValidator;
import dev.fairshare.usage.domain.UsageEvent;
import dev.fairshare.usage.domain.WellFormedEvents;
import dev.fairshare.usage.store.DeadLettersWritten;
import dev.fairshare.usage.store.EventStore;
import dev.fairshare.usage.store.Transactions;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import jakarta.annotation.PostConstruct;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * What a writer of the inbound consumer does with its share of a poll: reads each record's event
 * (the rejected ones go to {@code usage.dlq}, once each), attributes it with the registry replica
 * as it is now, and stores the events with their partitions' offsets as one PostgreSQL transaction.
 */
@Singleton
final class InboundBatches {
    private static final Logger LOG = Logger.getLogger(InboundBatches.class);

    @Inject KafkaClients clients;
    @Inject EventStore store;
    @Inject Transactions transactions;
    @Inject DeadLettersWritten deadLetters;
    @Inject RegistryReplica replica;
    @Inject EventValidator validator;
    @Inject WellFormedEvents wellFormed;
    @Inject ObjectMapper mapper;
    @Inject UsageConfig config;
    @Inject MeterRegistry metrics;
    @Inject Tracing tracing;
    private Timer batchTimer;

    @PostConstruct
    void registerTimer() {
        batchTimer =
                Timer.builder("usage.batch.duration")
                        .description("one poll, validated and committed")
                        .register(metrics);
    }

    /**
     * Validates, attributes and commits one writer's share of a poll as one PostgreSQL transaction
     * (events, roll-ups, outbox, offsets), in one span ({@link Tracing#startBatch}); answers the
     * next offsets it stored.
     */
    Map<TopicPartition, Long> write(List<ConsumerRecord<byte[], byte[]>> records) throws Exception {
        Span span = tracing.startBatch("usage.in process", SpanKind.CONSUMER, records);
        try (Scope ignored = span.makeCurrent()) {
            return writeTraced(records);
        } catch (Exception e) {
            span.setStatus(StatusCode.ERROR, e.toString());
            throw e;
        } finally {
            span.end();
        }
    }

    private Map<TopicPartition, Long> writeTraced(List<ConsumerRecord<byte[], byte[]>> records)
            throws Exception {
        Timer.Sample sample = Timer.start(metrics);
        long started = System.nanoTime();
        Parsed batch = parse(records);
        long parsed = System.nanoTime();
        int size = records.size();
        // the records are no longer needed (the dead letters keep their own): a batch waiting on
        // the database holds only its parsed events
        records.clear();
        try {
            sendDeadLettersOnce(batch.dead());
            EventStore.Written written = commit(batch.valid(), batch.next());
            count(written, size);
            if (LOG.isDebugEnabled()) {
                long end = System.nanoTime();
                LOG.debugf(
                        "batch of %d records: parsed in %d ms, written and committed in %d ms",
                        size, (parsed - started) / 1_000_000, (end - parsed) / 1_000_000);
            }
            return batch.next();
        } finally {
            sample.stop(batchTimer);
        }
    }

    /**
     * A share of a poll, read: the valid events with their attribution, the dead letters of the
     * others by where they were read, and the offset after each partition's last record.
     */
    private record Parsed(
            List<EventStore.Incoming> valid,
            Map<DeadLettersWritten.Source, ProducerRecord<byte[], byte[]>> dead,
            Map<TopicPartition, Long> next) {}

    /** Reads, validates and attributes each record of a share. */
    private Parsed parse(List<ConsumerRecord<byte[], byte[]>> records) {
        List<EventStore.Incoming> valid = new ArrayList<>(records.size());
        Map<DeadLettersWritten.Source, ProducerRecord<byte[], byte[]>> dead = new LinkedHashMap<>();
        Map<TopicPartition, Long> next = new HashMap<>();
        TopicPartition run = null;
        String platform = null;
        for (ConsumerRecord<byte[], byte[]> r : records) {
            // a share comes partition by partition: one key and one platform per run of records
            if (run == null || run.partition() != r.partition() || !run.topic().equals(r.topic())) {
                run = new TopicPartition(r.topic(), r.partition());
                platform = UsageConsumer.platformOf(r.topic());
            }
            next.put(run, r.offset() + 1);
            EventValidator.Result result =
                    read(r.value(), platform, Instant.ofEpochMilli(r.timestamp()));
            List<EventError> errors = result.errors();
            UsageEvent event = result.event();
            if (errors.isEmpty()) {
                Optional<List<Attribution.Part>> parts =
                        Attribution.attribute(event, replica.aliases());
                valid.add(
                        new EventStore.Incoming(
                                event, parts, r.topic() + "/" + r.partition() + "/" + r.offset()));
            } else {
                dead.put(
                        new DeadLettersWritten.Source(r.topic(), r.partition(), r.offset()),
                        DeadLetters.of(r, errors));
                RejectedEvents.count(metrics, errors, "kafka");
            }
        }
        return new Parsed(valid, dead, next);
    }

    /**
     * Dead letters are acknowledged before the offsets that pass them are committed, and recorded
     * at once: when this batch is retried (its transaction failed), the ones written are not
     * written again.
     */
    private void sendDeadLettersOnce(
            Map<DeadLettersWritten.Source, ProducerRecord<byte[], byte[]>> dead) throws Exception {
        dead.keySet().removeAll(deadLetters.written(dead.keySet()));
        clients.sendAll(dead.values());
        deadLetters.record(dead.keySet());
    }

    /** Stores the events with their partitions' next offsets, in one transaction. */
    private EventStore.Written commit(
            List<EventStore.Incoming> valid, Map<TopicPartition, Long> next) {
        List<EventStore.Position> positions = new ArrayList<>();
        next.forEach(
                (tp, off) ->
                        positions.add(
                                new EventStore.Position(
                                        config.consumerGroup(), tp.topic(), tp.partition(), off)));
        return transactions.inTransaction(c -> store.write(c, valid, positions));
    }

    private void count(EventStore.Written written, int records) {
        metrics.counter("usage.events.accepted", "path", "kafka").increment(written.newEvents());
        metrics.counter("usage.events.duplicate", "path", "kafka").increment(written.duplicates());
        metrics.counter("usage.events.unattributed").increment(written.unattributed());
        metrics.summary("usage.batch.size").record(records);
    }

    /**
     * A record's event, judged at its arrival: read in one pass when well formed (the common case),
     * otherwise through the validator's JSON tree, which says what is wrong.
     */
    private EventValidator.Result read(byte[] value, String platform, Instant arrival) {
        EventError tooLarge = value == null ? null : validator.tooLarge(value.length);
        if (tooLarge != null) {
            return new EventValidator.Result(null, List.of(tooLarge));
        }
        UsageEvent event = wellFormed.read(value, platform, arrival);
        if (event != null) {
            return new EventValidator.Result(event, List.of());
        }
        try {
            JsonNode node = value == null ? null : mapper.readTree(value);
            return validator.validate(node, platform, arrival);
        } catch (IOException e) {
            return new EventValidator.Result(
                    null,
                    List.of(
                            new EventError(
                                    "MALFORMED_JSON",
                                    null,
                                    "not valid JSON: "
                                            + (e instanceof JsonProcessingException j
                                                    ? j.getOriginalMessage()
                                                    : e.getMessage()))));
        }
    }
}
