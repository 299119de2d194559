package dev.fairshare.usage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fairshare.localstack.Contracts;
import dev.fairshare.localstack.Topics;
import dev.fairshare.usage.domain.AliasIndex;
import dev.fairshare.usage.kafka.ReattributionConsumer;
import dev.fairshare.usage.kafka.RegistryReplica;
import dev.fairshare.usage.store.AttributedDelta;
import dev.fairshare.usage.store.AttributedOutbox;
import dev.fairshare.usage.store.Reattributions;
import dev.fairshare.usage.store.RollupDelta;
import dev.fairshare.usage.store.RollupKey;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * Pins the messages this service writes to (and reads from) other services. The {@code
 * registry-*.json} files are copies of the registry's pinned examples (registry-service {@code
 * src/test/resources/contracts/}) of the topics this service reads, read here by this service's own
 * readers; {@link #theRegistryCopiesAreTheRegistrysFiles} fails when a copy drifts.
 */
class ContractTest {
    /** The registry examples this service reads: the replica's topics and the disputes. */
    static final List<String> REGISTRY_COPIES =
            List.of("registry-platform.json", "registry-model.json", "registry-reattribution.json");

    final ObjectMapper mapper = new ObjectMapper();

    // what the registry replica builds from registry.platforms and registry.models
    final AliasIndex index = new AliasIndex();
    final Set<String> platforms = new HashSet<>();
    final Map<String, Long> versions = new HashMap<>();

    private JsonNode example(String name) throws Exception {
        try (InputStream in = getClass().getResourceAsStream("/contracts/" + name)) {
            return mapper.readTree(in);
        }
    }

    private String text(String name) throws Exception {
        try (InputStream in = getClass().getResourceAsStream("/contracts/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void usageAttributedRoundTrips() throws Exception {
        JsonNode example = example("usage-attributed.json");
        AttributedDelta delta = mapper.treeToValue(example, AttributedDelta.class);
        assertThat(delta.rows().get(0).revenue()).isEqualTo("0.0246");
        assertThat(mapper.readTree(mapper.writeValueAsString(delta))).isEqualTo(example);
    }

    @Test
    void aPooledUsageAttributedRowCarriesItsSubscriber() throws Exception {
        JsonNode example = example("usage-attributed-pooled.json");
        // three requests of subscriber s1, revenue 0, summed and written as the folder does
        RollupDelta sums = new RollupDelta();
        for (int i = 0; i < 3; i++) {
            sums.add(BigDecimal.ZERO, Map.of("requests", BigDecimal.ONE));
        }
        LocalDate day = LocalDate.of(2026, 10, 14);
        AttributedDelta.Row row =
                AttributedOutbox.row(
                        new RollupKey("streamvoice", "voice-a", day, "COMMERCIAL", "USD", "s1"),
                        sums);
        String fold = "7c1e9a20-4b2d-4f3e-8a61-1d3e5f7a9b21";
        AttributedDelta delta =
                new AttributedDelta(fold + "/voice-a", fold, "voice-a", List.of(row));
        assertThat(mapper.readTree(mapper.writeValueAsString(delta))).isEqualTo(example);
        assertThat(mapper.treeToValue(example, AttributedDelta.class)).isEqualTo(delta);
        // a row without a subscriber is written without the field, as before pools
        AttributedDelta.Row perEvent =
                AttributedOutbox.row(
                        new RollupKey("streamvoice", "voice-a", day, "COMMERCIAL", "USD"), sums);
        assertThat(mapper.valueToTree(perEvent).has("subscriberId")).isFalse();
    }

    /** Applies one record as the replica does, with the registry's outbox id as its header. */
    private String apply(String topic, String key, String value, long outboxId) {
        ConsumerRecord<String, String> r = new ConsumerRecord<>(topic, 0, outboxId, key, value);
        r.headers().add("outbox-id", Long.toString(outboxId).getBytes(StandardCharsets.UTF_8));
        return RegistryReplica.apply(r, index, platforms, versions, mapper);
    }

    @Test
    void registryPlatformsAreKnownUntilTheirTombstone() throws Exception {
        String platform = text("registry-platform.json");
        assertThat(apply(Topics.REGISTRY_PLATFORMS, "acme-cloud", platform, 12)).isNull();
        assertThat(platforms).containsExactly("acme-cloud");
        // a tombstone (null value) would remove it; the registry deletes nothing today
        apply(Topics.REGISTRY_PLATFORMS, "acme-cloud", null, 13);
        assertThat(platforms).isEmpty();
    }

    @Test
    void registryModelsAreReadIntoTheAliasIndex() throws Exception {
        String model = text("registry-model.json");
        assertThat(apply(Topics.REGISTRY_MODELS, "xtts-v2", model, 40)).isEqualTo("xtts-v2");
        assertThat(index.aliasesOf("xtts-v2"))
                .contains(
                        List.of(
                                new AliasIndex.Alias(
                                        "coqui/XTTS-v2",
                                        null,
                                        Instant.parse("1970-01-01T00:00:00Z")),
                                new AliasIndex.Alias(
                                        "tts-latest",
                                        "acme-cloud",
                                        Instant.parse("2026-11-01T00:00:00Z"))));
        Instant inNovember = Instant.parse("2026-11-24T10:15:30Z");
        assertThat(index.resolve("acme-cloud", "tts-latest", inNovember)).contains("xtts-v2");
        assertThat(index.resolve("acme-cloud", "tts-latest", Instant.parse("2026-10-31T23:59:59Z")))
                .isEmpty();
        assertThat(index.resolve("other-cloud", "tts-latest", inNovember)).isEmpty();
        assertThat(index.resolve("other-cloud", "coqui/XTTS-v2", inNovember)).contains("xtts-v2");
        assertThat(versions).containsEntry("registry.models\u0000xtts-v2", 40L);
        // a tombstone would remove the model and its names
        assertThat(apply(Topics.REGISTRY_MODELS, "xtts-v2", null, 41)).isEqualTo("xtts-v2");
        assertThat(index.aliasesOf("xtts-v2")).isEmpty();
        assertThat(index.resolve("other-cloud", "coqui/XTTS-v2", inNovember)).isEmpty();
    }

    @Test
    void registryReattributionsAreReadIntoDisputes() throws Exception {
        ReattributionConsumer.Message m =
                ReattributionConsumer.read(mapper, text("registry-reattribution.json"));
        assertThat(m.dispute())
                .isEqualTo(
                        new Reattributions.Dispute(
                                "3f6c1a2e-8b4d-4e0f-9c7a-5d2b8e1f0a93",
                                "tts-latest",
                                "acme-cloud",
                                "xtts-v2",
                                Instant.parse("2026-11-01T00:00:00Z")));
        assertThat(m.registryVersions())
                .containsExactlyInAnyOrderEntriesOf(Map.of("xtts-v2", 1042L, "bark", 1043L));
    }

    @Test
    void theRegistryCopiesAreTheRegistrysFiles() throws Exception {
        assertThat(Contracts.ownFiles(ContractTest.class))
                .filteredOn(f -> f.startsWith("registry-"))
                .as("the registry examples copied here")
                .containsExactlyInAnyOrderElementsOf(REGISTRY_COPIES);
        assertThat(Contracts.drifted(ContractTest.class, "registry-service", REGISTRY_COPIES))
                .as("copies that differ from registry-service's: copy its files here")
                .isEmpty();
    }
}
