package dev.fairshare.usage.ingest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fairshare.usage.api.IngestResult;
import dev.fairshare.usage.api.ProblemException;
import dev.fairshare.usage.attribution.RegistryReplica;
import dev.fairshare.usage.kafka.KafkaClients;
import dev.fairshare.usage.kafka.UsageConsumer;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.jboss.logging.Logger;

/**
 * The HTTP edge: validates each event, drops the duplicates it already knows, and writes the rest
 * to their platform's inbound topic, acknowledged by every in-sync replica before it answers.
 */
@ApplicationScoped
public class IngestService {
    private static final Logger LOG = Logger.getLogger(IngestService.class);

    private final EventValidator validator;
    private final WellFormedEvents wellFormed;
    private final RegistryReplica replica;
    private final KafkaClients clients;
    private final AgroalDataSource dataSource;
    private final ObjectMapper mapper;
    private final MeterRegistry metrics;

    public IngestService(
            EventValidator validator,
            RegistryReplica replica,
            KafkaClients clients,
            AgroalDataSource dataSource,
            ObjectMapper mapper,
            MeterRegistry metrics) {
        this.validator = validator;
        this.wellFormed = new WellFormedEvents(validator);
        this.replica = replica;
        this.clients = clients;
        this.dataSource = dataSource;
        this.mapper = mapper;
        this.metrics = metrics;
    }

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
        if (!replica.caughtUp()) {
            throw new ProblemException(
                    503,
                    "STARTING",
                    "the service is still reading the registry; retry in a few seconds");
        }
        List<IngestResult.Rejected> rejected = new ArrayList<>();
        List<UsageEvent> valid = new ArrayList<>();
        List<byte[]> validValues = new ArrayList<>();
        Set<String> inRequest = new HashSet<>();
        int duplicates = 0;
        for (int i = 0; i < events.size(); i++) {
            Element element = events.get(i);
            UsageEvent read = element.read();
            if (read != null && replica.knowsPlatform(read.platformId())) {
                // the common case: well formed and valid, sent to Kafka as it came
                EventError tooLarge = validator.tooLarge(element.raw().length);
                if (tooLarge != null) {
                    reject(rejected, i, read.eventId(), List.of(tooLarge));
                } else if (inRequest.add(read.platformId() + "\u0000" + read.eventId())) {
                    valid.add(read);
                    validValues.add(element.raw());
                } else {
                    duplicates++;
                }
                continue;
            }
            JsonNode node = element.node() != null ? element.node() : tree(element.raw());
            if (platformId != null
                    && node instanceof com.fasterxml.jackson.databind.node.ObjectNode o
                    && !o.has("platformId")) {
                // the edge stamps the sender's platform on an event that does not name one
                o.put("platformId", platformId);
            }
            EventValidator.Result r =
                    node == null
                            ? new EventValidator.Result(
                                    null,
                                    List.of(
                                            new EventError(
                                                    "MALFORMED_JSON",
                                                    null,
                                                    "this line is not valid JSON")))
                            : validator.validate(node, platformId, now);
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
            if (!errors.isEmpty()) {
                String eventId =
                        node != null && node.path("eventId").isTextual()
                                ? node.get("eventId").asText()
                                : null;
                reject(rejected, i, eventId, errors);
                continue;
            }
            if (!inRequest.add(r.event().platformId() + "\u0000" + r.event().eventId())) {
                duplicates++;
                continue;
            }
            valid.add(r.event());
            validValues.add(value);
        }
        Set<String> known = alreadyStored(valid);
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        int accepted = 0;
        for (int i = 0; i < valid.size(); i++) {
            UsageEvent e = valid.get(i);
            if (known.contains(e.platformId() + "\u0000" + e.eventId())) {
                duplicates++;
                continue;
            }
            acks.add(
                    clients.producer()
                            .send(
                                    new ProducerRecord<>(
                                            UsageConsumer.INBOUND_PREFIX + e.platformId(),
                                            e.eventId().getBytes(StandardCharsets.UTF_8),
                                            validValues.get(i))));
            accepted++;
        }
        try {
            for (Future<RecordMetadata> a : acks) {
                a.get(60, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(e);
        } catch (ExecutionException | TimeoutException e) {
            throw unavailable(e);
        }
        metrics.counter("usage.events.accepted", "path", "http").increment(accepted);
        metrics.counter("usage.events.duplicate", "path", "http").increment(duplicates);
        return new IngestResult(accepted, duplicates, rejected);
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

    /** The (platform, eventId) pairs among {@code events} that are already stored. */
    private Set<String> alreadyStored(List<UsageEvent> events) {
        Set<String> known = new HashSet<>();
        if (events.isEmpty()) {
            return known;
        }
        Map<String, List<String>> byPlatform = new HashMap<>();
        events.forEach(
                e ->
                        byPlatform
                                .computeIfAbsent(e.platformId(), p -> new ArrayList<>())
                                .add(e.eventId()));
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "select event_id from event_key where platform_id = ? and event_id = any(?)")) {
            for (Map.Entry<String, List<String>> e : byPlatform.entrySet()) {
                ps.setString(1, e.getKey());
                ps.setArray(2, c.createArrayOf("text", e.getValue().toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        known.add(e.getKey() + "\u0000" + rs.getString(1));
                    }
                }
            }
        } catch (SQLException e) {
            // the edge's duplicate check is an optimisation; the consumer de-duplicates for sure
            LOG.debugf("duplicate look-up failed: %s", e);
        }
        return known;
    }
}
