package dev.fairshare.settlement;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fairshare.settlement.engine.Agreement;
import dev.fairshare.settlement.engine.PerUnit;
import dev.fairshare.settlement.kafka.UsageDelta;
import dev.fairshare.settlement.registry.RegistryReplica;
import java.io.InputStream;
import java.math.BigDecimal;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/** Pins the messages settlement reads from the usage and registry services. */
class ContractTest {
    final ObjectMapper mapper = new ObjectMapper();

    private JsonNode example(String name) throws Exception {
        try (InputStream in = getClass().getResourceAsStream("/contracts/" + name)) {
            return mapper.readTree(in);
        }
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
}
