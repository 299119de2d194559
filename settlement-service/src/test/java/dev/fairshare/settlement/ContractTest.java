package dev.fairshare.settlement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fairshare.localstack.Contracts;
import dev.fairshare.localstack.Topics;
import dev.fairshare.settlement.config.KafkaConnection;
import dev.fairshare.settlement.engine.Agreement;
import dev.fairshare.settlement.engine.ModelInfo;
import dev.fairshare.settlement.engine.PerUnit;
import dev.fairshare.settlement.engine.PoolShare;
import dev.fairshare.settlement.registry.RegistryReplica;
import dev.fairshare.settlement.store.UsageDelta;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * Pins the messages settlement reads from the usage and registry services: the files are copies of
 * the producers' pinned examples (each producer's {@code src/test/resources/contracts/}), read here
 * by settlement's own readers; {@link #theCopiesAreTheProducersFiles} fails when a copy drifts.
 */
class ContractTest {
    /** The registry examples settlement reads: every topic of its replica. */
    static final List<String> REGISTRY_COPIES =
            List.of(
                    "registry-maker.json",
                    "registry-platform.json",
                    "registry-model.json",
                    "registry-agreement.json",
                    "registry-agreement-pool.json",
                    "registry-alias-proposal.json");

    /** usage-service's examples of {@code usage.attributed}: usage rated per event, and pooled. */
    static final List<String> USAGE_COPIES =
            List.of("usage-attributed.json", "usage-attributed-pooled.json");

    final ObjectMapper mapper = new ObjectMapper();
    final RegistryReplica replica =
            new RegistryReplica(mapper, new KafkaConnection(java.util.Map.of()));

    private JsonNode example(String name) throws Exception {
        try (InputStream in = getClass().getResourceAsStream("/contracts/" + name)) {
            return mapper.readTree(in);
        }
    }

    /** A record of {@code topic} whose value is the example {@code name} (null: a tombstone). */
    private ConsumerRecord<String, String> record(
            String topic, String key, String name, long outboxId) throws Exception {
        String value = null;
        if (name != null) {
            try (InputStream in = getClass().getResourceAsStream("/contracts/" + name)) {
                value = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
        ConsumerRecord<String, String> r = new ConsumerRecord<>(topic, 0, outboxId, key, value);
        r.headers().add("outbox-id", Long.toString(outboxId).getBytes(StandardCharsets.UTF_8));
        return r;
    }

    @Test
    void usageAttributedRoundTrips() throws Exception {
        JsonNode example = example("usage-attributed.json");
        UsageDelta delta = mapper.treeToValue(example, UsageDelta.class);
        assertThat(delta.deltaId()).endsWith("/xtts-v2");
        assertThat(new BigDecimal(delta.rows().get(0).units().get("gpu_seconds")))
                .isEqualByComparingTo("0.84");
        assertThat(mapper.readTree(mapper.writeValueAsString(delta))).isEqualTo(example);
    }

    @Test
    void pooledUsageAttributedRoundTripsWithItsSubscriber() throws Exception {
        JsonNode example = example("usage-attributed-pooled.json");
        UsageDelta delta = mapper.treeToValue(example, UsageDelta.class);
        assertThat(delta.modelId()).isEqualTo("voice-a");
        UsageDelta.Row row = delta.rows().get(0);
        assertThat(row.subscriberId()).isEqualTo("s1");
        assertThat(row.events()).isEqualTo(3);
        assertThat(new BigDecimal(row.revenue())).isEqualByComparingTo("0");
        assertThat(new BigDecimal(row.units().get("requests"))).isEqualByComparingTo("3");
        assertThat(mapper.readTree(mapper.writeValueAsString(delta))).isEqualTo(example);
        // a row without a subscriber is read with none, and written without the field
        UsageDelta plain = mapper.treeToValue(example("usage-attributed.json"), UsageDelta.class);
        assertThat(plain.rows().get(0).subscriberId()).isNull();
    }

    @Test
    void poolShareAgreementsAreReadIntoEngineTerms() throws Exception {
        Agreement a = RegistryReplica.agreement(example("registry-agreement-pool.json"));
        assertThat(a.id()).isEqualTo("streamvoice-a-pool");
        assertThat(a.platformId()).isEqualTo("streamvoice");
        assertThat(a.modelId()).isEqualTo("voice-a");
        assertThat(a.terms()).isEqualTo(new PoolShare());
        assertThat(a.minimumGuarantee()).isNull();
        assertThat(a.validFrom()).isEqualTo(LocalDate.of(2026, 1, 1));
    }

    @Test
    void registryAgreementsAreReadIntoEngineTerms() throws Exception {
        Agreement a = RegistryReplica.agreement(example("registry-agreement.json"));
        assertThat(a.validFrom()).isEqualTo(LocalDate.of(2026, 1, 1));
        assertThat(a.validTo()).isNull();
        assertThat(a.minimumGuarantee()).isEqualByComparingTo("50");
        PerUnit terms = (PerUnit) a.terms();
        assertThat(terms.unitSize()).isEqualByComparingTo("1000000");
        assertThat(terms.tiers()).hasSize(2);
        assertThat(terms.tiers().get(1).upTo()).isNull();
        assertThat(terms.tiers().get(0).price()).isEqualByComparingTo("0.4");
    }

    @Test
    void registryAliasProposalsAreReadWithTheirStatus() throws Exception {
        RegistryReplica.Proposal p =
                RegistryReplica.proposal(example("registry-alias-proposal.json"));
        assertThat(p)
                .isEqualTo(
                        new RegistryReplica.Proposal(
                                7,
                                "voicelab",
                                "xtts-v2-nordic",
                                "acme-cloud",
                                "nordic-tts",
                                "ACCEPTED",
                                "2026-11-02T08:15:00Z",
                                "2026-11-03T10:00:00Z"));
    }

    @Test
    void registryMakersAndPlatformsAreReadByName() throws Exception {
        replica.applyLive(
                List.of(
                        record(Topics.REGISTRY_MAKERS, "coqui", "registry-maker.json", 1),
                        record(
                                Topics.REGISTRY_PLATFORMS,
                                "acme-cloud",
                                "registry-platform.json",
                                2)));
        assertThat(replica.makerNames()).isEqualTo(Map.of("coqui", "Coqui"));
        assertThat(replica.platformNames()).isEqualTo(Map.of("acme-cloud", "Acme Cloud"));
        // tombstones (null values) would remove them; the registry deletes nothing today
        replica.applyLive(
                List.of(
                        record(Topics.REGISTRY_MAKERS, "coqui", null, 3),
                        record(Topics.REGISTRY_PLATFORMS, "acme-cloud", null, 4)));
        assertThat(replica.makerNames()).isEmpty();
        assertThat(replica.platformNames()).isEmpty();
    }

    @Test
    void registryModelsAreReadWithLicenceLineageAndNames() throws Exception {
        replica.applyLive(
                List.of(record(Topics.REGISTRY_MODELS, "xtts-v2", "registry-model.json", 5)));
        ModelInfo m = replica.models().get("xtts-v2");
        assertThat(m.id()).isEqualTo("xtts-v2");
        assertThat(m.makerId()).isEqualTo("coqui");
        assertThat(m.commercialUse()).isTrue();
        assertThat(m.parents()).hasSize(1);
        assertThat(m.parents().get(0).modelId()).isEqualTo("tortoise");
        assertThat(m.parents().get(0).royaltyShare()).isEqualByComparingTo("0.3");
        assertThat(replica.aliases("xtts-v2"))
                .containsExactly(
                        new RegistryReplica.Alias("coqui/XTTS-v2", null, "1970-01-01T00:00:00Z"),
                        new RegistryReplica.Alias(
                                "tts-latest", "acme-cloud", "2026-11-01T00:00:00Z"));
        replica.applyLive(List.of(record(Topics.REGISTRY_MODELS, "xtts-v2", null, 6)));
        assertThat(replica.models()).isEmpty();
        assertThat(replica.aliases("xtts-v2")).isEmpty();
    }

    @Test
    void registryAgreementsAndProposalsAreAppliedFromTheirTopics() throws Exception {
        replica.applyLive(
                List.of(
                        record(
                                Topics.REGISTRY_AGREEMENTS,
                                "acme-coqui-tokens",
                                "registry-agreement.json",
                                7),
                        record(
                                Topics.REGISTRY_ALIAS_PROPOSALS,
                                "7",
                                "registry-alias-proposal.json",
                                8)));
        assertThat(replica.agreements()).hasSize(1);
        Agreement a = replica.agreements().get(0);
        assertThat(a.id()).isEqualTo("acme-coqui-tokens");
        assertThat(a.modelId()).isEqualTo("xtts-v2");
        assertThat(a.currency()).isEqualTo("USD");
        assertThat(replica.proposals("voicelab"))
                .extracting(RegistryReplica.Proposal::proposalId, RegistryReplica.Proposal::status)
                .containsExactly(tuple(7L, "ACCEPTED"));
    }

    @Test
    void theCopiesAreTheProducersFiles() throws Exception {
        assertThat(Contracts.ownFiles(ContractTest.class))
                .as("the producers' examples copied here")
                .containsExactlyInAnyOrderElementsOf(
                        Stream.concat(REGISTRY_COPIES.stream(), USAGE_COPIES.stream()).toList());
        assertThat(Contracts.drifted(ContractTest.class, "registry-service", REGISTRY_COPIES))
                .as("copies that differ from registry-service's: copy its files here")
                .isEmpty();
        assertThat(Contracts.drifted(ContractTest.class, "usage-service", USAGE_COPIES))
                .as("copies that differ from usage-service's: copy its file here")
                .isEmpty();
    }
}
