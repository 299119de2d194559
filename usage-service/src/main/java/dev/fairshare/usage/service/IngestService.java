package dev.fairshare.usage.service;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fairshare.usage.config.Tracing;
import dev.fairshare.usage.domain.EventError;
import dev.fairshare.usage.domain.EventValidator;
import dev.fairshare.usage.domain.UsageEvent;
import dev.fairshare.usage.domain.WellFormedEvents;
import dev.fairshare.usage.kafka.KafkaClients;
import dev.fairshare.usage.kafka.RegistryReplica;
import dev.fairshare.usage.kafka.RejectedEvents;
import dev.fairshare.usage.kafka.UsageConsumer;
import dev.fairshare.usage.problem.ProblemException;
import dev.fairshare.usage.store.UsageQueries;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.context.Context;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.jboss.logging.Logger;

/**
 * The HTTP edge: validates each event, drops the duplicates it already knows, and writes the rest
 * to their platform's inbound topic, acknowledged by every in-sync replica before it answers.
 */
@ApplicationScoped
public class IngestService {
    private static final Logger LOG = Logger.getLogger(IngestService.class);

    /** How long a request waits for the broker to acknowledge each of its events. */
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(60);

    @Inject EventValidator validator;
    @Inject WellFormedEvents wellFormed;
    @Inject RegistryReplica replica;
    @Inject KafkaClients clients;
    @Inject UsageQueries queries;
    @Inject ObjectMapper mapper;
    @Inject MeterRegistry metrics;

    /**
     * One element of a request: its bytes as sent when it is a JSON object of a JSON array (written
     * to Kafka as sent when it is valid) with its event when {@link WellFormedEvents} read it in
     * the same pass, otherwise its JSON tree (null: it did not parse).
     */
    public record Element(byte[] raw, JsonNode node, UsageEvent read) {
        public Element(JsonNode node) {
            this(null, node, null);
        }
    }

    /** The instant against which a request's events are judged (the validator's clock). */
    public Instant now() {
        return validator.now();
    }

    /**
     * The object of a JSON array at {@code p}'s current {@code START_OBJECT}, read in one pass: its
     * bytes as sent and, when it is well formed and valid for {@code platformId} at {@code now},
     * its event. Leaves the parser on the object's {@code END_OBJECT}.
     */
    public Element arrayObject(JsonParser p, byte[] body, String platformId, Instant now)
            throws IOException {
        int start = (int) p.currentTokenLocation().getByteOffset();
        UsageEvent read = wellFormed.readObject(p, platformId, now);
        int end = (int) p.currentLocation().getByteOffset();
        return new Element(Arrays.copyOfRange(body, start, end), null, read);
    }

    /**
     * Ingests a request's events, judged at {@code now}. {@code platformId} is the sender's
     * platform (null: each event names its own).
     */
    public IngestResult ingest(List<Element> events, String platformId, Instant now) {
        requireReplicaCaughtUp();
        Screened screened = new Screened();
        for (int i = 0; i < events.size(); i++) {
            screen(screened, i, events.get(i), platformId, now);
        }
        dropAlreadyStored(screened);
        writeDurably(screened);
        metrics.counter("usage.events.accepted", "path", "http").increment(screened.accepted());
        metrics.counter("usage.events.duplicate", "path", "http").increment(screened.duplicates);
        return new IngestResult(screened.accepted(), screened.duplicates, screened.rejected);
    }

    /** Events are judged against the registry: until the replica has read it, none is. */
    private void requireReplicaCaughtUp() {
        if (!replica.caughtUp()) {
            throw new ProblemException(
                    503,
                    "STARTING",
                    "the service is still reading the registry; retry in a few seconds");
        }
    }

    /**
     * A request's events as they are judged: the accepted ones with their bytes to send, the
     * rejected ones by index, and the count of duplicates (within the request or already stored).
     */
    private static final class Screened {
        final List<IngestResult.Rejected> rejected = new ArrayList<>();
        final List<UsageEvent> valid = new ArrayList<>();
        final List<byte[]> values = new ArrayList<>();
        final Set<String> inRequest = new HashSet<>();
        int duplicates;

        /** Accepts {@code event} unless the request already holds an event of the same id. */
        void accept(UsageEvent event, byte[] value) {
            if (inRequest.add(event.platformId() + "\u0000" + event.eventId())) {
                valid.add(event);
                values.add(value);
            } else {
                duplicates++;
            }
        }

        int accepted() {
            return valid.size();
        }
    }

    /**
     * Judges the {@code index}th element: a well-formed, valid event of a known platform is sent as
     * it came (the common case); anything else is judged on its JSON tree, which says what is
     * wrong.
     */
    private void screen(
            Screened screened, int index, Element element, String platformId, Instant now) {
        UsageEvent read = element.read();
        if (read != null && replica.knowsPlatform(read.platformId())) {
            EventError tooLarge = validator.tooLarge(element.raw().length);
            if (tooLarge != null) {
                reject(screened.rejected, index, read.eventId(), List.of(tooLarge));
            } else {
                screened.accept(read, element.raw());
            }
            return;
        }
        JsonNode node = element.node() != null ? element.node() : tree(element.raw());
        stampSender(node, platformId);
        EventValidator.Result r = validate(node, platformId, now);
        List<EventError> errors = new ArrayList<>(r.errors());
        if (r.valid() && !replica.knowsPlatform(r.event().platformId())) {
            errors.add(
                    new EventError(
                            "UNKNOWN_PLATFORM",
                            "platformId",
                            "platform '" + r.event().platformId() + "' is not onboarded"));
        }
        byte[] value = errors.isEmpty() ? bytes(node) : null;
        EventError tooLarge = value == null ? null : validator.tooLarge(value.length);
        if (tooLarge != null) {
            errors.add(tooLarge);
        }
        if (errors.isEmpty()) {
            screened.accept(r.event(), value);
        } else {
            reject(screened.rejected, index, eventIdOf(node), errors);
        }
    }

    /** The edge stamps the sender's platform on an event that does not name one. */
    private static void stampSender(JsonNode node, String platformId) {
        if (platformId != null && node instanceof ObjectNode o && !o.has("platformId")) {
            o.put("platformId", platformId);
        }
    }

    /** The validator's judgement of {@code node} (null: the element is not valid JSON). */
    private EventValidator.Result validate(JsonNode node, String platformId, Instant now) {
        if (node == null) {
            return new EventValidator.Result(
                    null,
                    List.of(new EventError("MALFORMED_JSON", null, "this line is not valid JSON")));
        }
        return validator.validate(node, platformId, now);
    }

    private static String eventIdOf(JsonNode node) {
        return node != null && node.path("eventId").isTextual()
                ? node.get("eventId").asText()
                : null;
    }

    /** Events already stored are duplicates: the edge does not send them again. */
    private void dropAlreadyStored(Screened screened) {
        Map<String, Set<String>> stored = alreadyStored(screened.valid);
        if (stored.isEmpty()) {
            return;
        }
        List<UsageEvent> valid = new ArrayList<>(screened.valid);
        List<byte[]> values = new ArrayList<>(screened.values);
        screened.valid.clear();
        screened.values.clear();
        for (int i = 0; i < valid.size(); i++) {
            UsageEvent e = valid.get(i);
            if (stored.getOrDefault(e.platformId(), Set.of()).contains(e.eventId())) {
                screened.duplicates++;
            } else {
                screened.valid.add(e);
                screened.values.add(values.get(i));
            }
        }
    }

    /**
     * Writes the accepted events to their platforms' inbound topics and waits until every in-sync
     * replica has them; 503 when the broker does not acknowledge them all.
     */
    private void writeDurably(Screened screened) {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(screened.accepted());
        // a sampled request's trace goes on with each of its events (none: no header at all)
        Headers trace = Tracing.headers(Context.current());
        for (int i = 0; i < screened.valid.size(); i++) {
            UsageEvent e = screened.valid.get(i);
            records.add(
                    new ProducerRecord<>(
                            UsageConsumer.INBOUND_PREFIX + e.platformId(),
                            null,
                            e.eventId().getBytes(StandardCharsets.UTF_8),
                            screened.values.get(i),
                            trace));
        }
        try {
            clients.sendAll(records, ACK_TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(e);
        } catch (ExecutionException | TimeoutException e) {
            throw unavailable(e);
        }
    }

    /** Lists the {@code index}th event of the request as rejected, and counts it by code. */
    private void reject(
            List<IngestResult.Rejected> rejected,
            int index,
            String eventId,
            List<EventError> errors) {
        rejected.add(new IngestResult.Rejected(index, eventId, errors));
        RejectedEvents.count(metrics, errors, "http");
    }

    private static ProblemException unavailable(Exception e) {
        LOG.warnf("could not write usage to Kafka: %s", e.toString());
        return new ProblemException(
                503,
                "BROKER_UNAVAILABLE",
                "the events could not be written durably; retry the whole request (events are de-duplicated by eventId)");
    }

    /** The tree of an element that parsed as part of its array (null if it does not parse). */
    private JsonNode tree(byte[] raw) {
        try {
            return raw == null ? null : mapper.readTree(raw);
        } catch (java.io.IOException e) {
            return null;
        }
    }

    private byte[] bytes(JsonNode node) {
        try {
            return mapper.writeValueAsBytes(node);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The ids of {@code events} already stored, by platform. */
    private Map<String, Set<String>> alreadyStored(List<UsageEvent> events) {
        if (events.isEmpty()) {
            return Map.of();
        }
        Map<String, List<String>> byPlatform = new HashMap<>();
        events.forEach(
                e ->
                        byPlatform
                                .computeIfAbsent(e.platformId(), p -> new ArrayList<>())
                                .add(e.eventId()));
        try {
            return queries.storedEventIds(byPlatform);
        } catch (SQLException e) {
            // the edge's duplicate check is an optimisation; the consumer de-duplicates for sure
            LOG.debugf("duplicate look-up failed: %s", e);
            return Map.of();
        }
    }
}
