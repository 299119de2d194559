package dev.fairshare.registry.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fairshare.localstack.Contracts;
import dev.fairshare.localstack.Topics;
import dev.fairshare.registry.domain.Agreement;
import dev.fairshare.registry.domain.AliasDispute;
import dev.fairshare.registry.domain.AliasProposal;
import dev.fairshare.registry.domain.Maker;
import dev.fairshare.registry.domain.Model;
import dev.fairshare.registry.domain.ModelAlias;
import dev.fairshare.registry.domain.ModelParent;
import dev.fairshare.registry.domain.Platform;
import java.io.InputStream;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Pins one message of each {@code registry.*} topic under {@code src/test/resources/contracts/}:
 * each is built from an entity by the code that publishes it ({@link Views}, {@link
 * AliasService#view}, {@link AliasDisputeService#message}) and serialised by {@link
 * Outbox#payload}, then compared with the pinned file as a JSON tree, so a changed field fails
 * here. The consumers keep copies of the files they read; their contract tests fail when a copy
 * differs. Decimals are given at the database's scale (numeric(38, 18)), as the entities hold them.
 */
class ContractTest {
    /** The pinned example of each registry topic. */
    static final Map<String, String> EXAMPLES =
            Map.of(
                    RegistryService.TOPIC_MAKERS, "registry-maker.json",
                    RegistryService.TOPIC_PLATFORMS, "registry-platform.json",
                    RegistryService.TOPIC_MODELS, "registry-model.json",
                    AgreementService.TOPIC, "registry-agreement.json",
                    AliasDisputeService.TOPIC_REATTRIBUTIONS, "registry-reattribution.json",
                    AliasService.TOPIC_PROPOSALS, "registry-alias-proposal.json");

    /** A further example of {@code registry.agreements}: pooled usage's terms. */
    static final String POOL_EXAMPLE = "registry-agreement-pool.json";

    final ObjectMapper mapper = new ObjectMapper();
    final Outbox outbox = new Outbox(null, mapper);

    private JsonNode example(String name) throws Exception {
        try (InputStream in = getClass().getResourceAsStream("/contracts/" + name)) {
            assertThat(in).as("contracts/" + name).isNotNull();
            return mapper.readTree(in);
        }
    }

    /**
     * The outbox's value for {@code view} is the pinned example, and the example reads back into
     * the same view.
     */
    private void assertPublishedAs(String topic, Object view) throws Exception {
        assertPublishedIn(EXAMPLES.get(topic), view);
    }

    /** As {@link #assertPublishedAs}, for a further example {@code name} of a topic. */
    private void assertPublishedIn(String name, Object view) throws Exception {
        JsonNode example = example(name);
        assertThat(mapper.readTree(outbox.payload(view))).isEqualTo(example);
        assertThat(mapper.treeToValue(example, view.getClass())).isEqualTo(view);
    }

    private static BigDecimal db(String decimal) {
        return new BigDecimal(decimal).setScale(18);
    }

    @Test
    void everyRegistryTopicHasAPinnedExample() {
        assertThat(EXAMPLES.keySet()).isEqualTo(Set.copyOf(Topics.REGISTRY));
    }

    /** Every file pinned here is an example a test below builds: no copy is left unchecked. */
    @Test
    void everyPinnedFileIsBuiltByTheProducer() throws Exception {
        Set<String> built = new java.util.TreeSet<>(EXAMPLES.values());
        built.add(POOL_EXAMPLE);
        assertThat(Contracts.ownFiles(ContractTest.class)).isEqualTo(built);
    }

    @Test
    void makersAndPlatformsByName() throws Exception {
        Maker maker = new Maker();
        maker.id = "coqui";
        maker.name = "Coqui";
        maker.createdAt = Instant.parse("2026-10-15T08:30:00Z");
        Platform platform = new Platform();
        platform.id = "acme-cloud";
        platform.name = "Acme Cloud";
        platform.createdAt = Instant.parse("2026-10-20T12:00:00Z");
        assertPublishedAs(RegistryService.TOPIC_MAKERS, Views.of(maker));
        assertPublishedAs(RegistryService.TOPIC_PLATFORMS, Views.of(platform));
    }

    @Test
    void modelsWithTheirLicenceParentsAndAliases() throws Exception {
        Model m = new Model();
        m.id = "xtts-v2";
        m.makerId = "coqui";
        m.name = "XTTS v2";
        m.licenseId = "CPML";
        m.commercialUse = true;
        m.createdAt = Instant.parse("2026-11-01T09:00:00Z");
        ModelParent parent = new ModelParent();
        parent.modelId = m.id;
        parent.parentId = "tortoise";
        parent.royaltyShare = db("0.3");
        m.parents.add(parent);
        m.aliases.add(alias(m.id, "coqui/XTTS-v2", null, "1970-01-01T00:00:00Z"));
        m.aliases.add(alias(m.id, "tts-latest", "acme-cloud", "2026-11-01T00:00:00Z"));
        assertPublishedAs(RegistryService.TOPIC_MODELS, Views.of(m));
    }

    private static ModelAlias alias(String modelId, String ref, String platformId, String from) {
        ModelAlias a = new ModelAlias();
        a.modelId = modelId;
        a.ref = ref;
        a.platformId = platformId;
        a.validFrom = Instant.parse(from);
        return a;
    }

    @Test
    void agreementsWithGraduatedTiers() throws Exception {
        Agreement a = new Agreement();
        a.id = "acme-coqui-tokens";
        a.makerId = "coqui";
        a.platformId = "acme-cloud";
        a.modelId = "xtts-v2";
        a.currency = "USD";
        a.validFrom = Instant.parse("2026-01-01T00:00:00Z");
        a.termsType = "PER_UNIT";
        a.metric = "output_tokens";
        a.unitSize = db("1000000");
        a.tiers.add(tier(db("1000000000"), db("0.4")));
        a.tiers.add(tier(null, db("0.3")));
        a.minimumGuarantee = db("50");
        a.createdAt = Instant.parse("2026-11-01T09:00:00Z");
        Dto.AgreementView view = Views.of(a);
        assertPublishedAs(AgreementService.TOPIC, view);
        // validTo null travels as null (an open agreement); rate is absent for per-unit terms
        JsonNode json = mapper.readTree(outbox.payload(view));
        assertThat(json.has("validTo")).isTrue();
        assertThat(json.get("validTo").isNull()).isTrue();
        assertThat(json.get("terms").has("rate")).isFalse();
    }

    @Test
    void poolShareAgreementsHaveNoPriceTerms() throws Exception {
        Agreement a = new Agreement();
        a.id = "streamvoice-a-pool";
        a.makerId = "voicelab";
        a.platformId = "streamvoice";
        a.modelId = "voice-a";
        a.currency = "USD";
        a.validFrom = Instant.parse("2026-01-01T00:00:00Z");
        a.termsType = AgreementService.POOL_SHARE;
        a.createdAt = Instant.parse("2026-11-01T09:00:00Z");
        Dto.AgreementView view = Views.of(a);
        assertPublishedIn(POOL_EXAMPLE, view);
        // terms are the type alone; an absent guarantee travels as null
        JsonNode json = mapper.readTree(outbox.payload(view));
        assertThat(json.get("terms").size()).isEqualTo(1);
        assertThat(json.get("minimumGuarantee").isNull()).isTrue();
    }

    private static Agreement.Tier tier(BigDecimal upTo, BigDecimal price) {
        Agreement.Tier t = new Agreement.Tier();
        t.upTo = upTo;
        t.price = price;
        return t;
    }

    @Test
    void reattributionsNameTheModelRecordsWrittenWithThem() throws Exception {
        AliasDispute d = new AliasDispute();
        d.id = UUID.fromString("3f6c1a2e-8b4d-4e0f-9c7a-5d2b8e1f0a93");
        d.ref = "tts-latest";
        d.platformId = "acme-cloud";
        d.toModelId = "xtts-v2";
        d.fromDay = Instant.parse("2026-11-01T00:00:00Z");
        d.reason =
                "acme-cloud mapped tts-latest to bark; the maker's contract names XTTS v2 from November";
        d.replacedModelId = "bark";
        d.actor = "admin";
        d.createdAt = Instant.parse("2026-11-20T16:42:07.381Z");
        Map<String, Long> versions = new TreeMap<>(Map.of("xtts-v2", 1042L, "bark", 1043L));
        ReattributionDto.Message message = AliasDisputeService.message(d, versions);
        assertPublishedAs(AliasDisputeService.TOPIC_REATTRIBUTIONS, message);
    }

    @Test
    void aliasProposalsWithTheirDecision() throws Exception {
        AliasProposal p = new AliasProposal();
        p.id = 7L;
        p.modelId = "xtts-v2-nordic";
        p.makerId = "voicelab";
        p.platformId = "acme-cloud";
        p.ref = "nordic-tts";
        p.validFrom = Instant.parse("1970-01-01T00:00:00Z");
        p.status = AliasProposal.ACCEPTED;
        p.proposedBy = "voicelab";
        p.proposedAt = Instant.parse("2026-11-02T08:15:00Z");
        p.decidedBy = "platform-acme-cloud";
        p.decidedAt = Instant.parse("2026-11-03T10:00:00Z");
        assertPublishedAs(AliasService.TOPIC_PROPOSALS, AliasService.view(p));
    }

    /**
     * A deleted entity would be announced by a tombstone: a record with a null value (not the JSON
     * {@code null}), which every replica reads as "deleted". The registry deletes no entity today,
     * so no topic carries one yet; the outbox's value for none is null.
     */
    @Test
    void aTombstoneIsANullValue() {
        assertThat(outbox.payload(null)).isNull();
    }
}
