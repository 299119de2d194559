package dev.fairshare.settlement.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fairshare.settlement.config.KafkaConnection;
import dev.fairshare.settlement.engine.Agreement;
import java.time.LocalDate;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** A registry snapshot is one view that records applied later do not change. */
class RegistryReplicaSnapshotTest {

    private final RegistryReplica replica =
            new RegistryReplica(new ObjectMapper(), new KafkaConnection(java.util.Map.of()));

    private static ConsumerRecord<String, String> record(String topic, String key, String value) {
        return new ConsumerRecord<>(topic, 0, 0L, key, value);
    }

    private static ConsumerRecord<String, String> model(String id, String maker) {
        return record(
                "registry.models",
                id,
                "{\"id\":\""
                        + id
                        + "\",\"makerId\":\""
                        + maker
                        + "\",\"license\":{\"commercialUse\":true},\"parents\":[]}");
    }

    private static ConsumerRecord<String, String> agreement(String id, String validFrom) {
        return record(
                "registry.agreements",
                id,
                "{\"id\":\""
                        + id
                        + "\",\"makerId\":\"m\",\"platformId\":\"p\",\"modelId\":null,\"currency\":\"USD\","
                        + "\"validFrom\":\""
                        + validFrom
                        + "T00:00:00Z\",\"validTo\":null,"
                        + "\"terms\":{\"type\":\"REVENUE_SHARE\",\"rate\":\"0.2\"},\"minimumGuarantee\":null}");
    }

    @Test
    void aSnapshotDoesNotChangeWhenTheReplicaDoes() {
        replica.applyLive(List.of(model("x", "m"), agreement("a1", "2026-03-01")));
        RegistryReplica.Snapshot before = replica.snapshot();

        replica.applyLive(
                List.of(
                        agreement("a2", "2026-01-01"),
                        model("y", "m"),
                        record("registry.agreements", "a1", null),
                        record("registry.makers", "m", "{\"id\":\"m\",\"name\":\"Maker\"}")));

        // the view taken before is what it was
        assertThat(before.agreements()).extracting(Agreement::id).containsExactly("a1");
        assertThat(before.models()).containsOnlyKeys("x");
        assertThat(before.makerNames()).isEmpty();
        assertThat(before.firstAgreementDay()).contains(LocalDate.of(2026, 3, 1));
        // and nobody can change it
        assertThatThrownBy(() -> before.agreements().clear())
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> before.models().remove("x"))
                .isInstanceOf(UnsupportedOperationException.class);

        // a new view has every change
        RegistryReplica.Snapshot after = replica.snapshot();
        assertThat(after.agreements()).extracting(Agreement::id).containsExactly("a2");
        assertThat(after.models()).containsOnlyKeys("x", "y");
        assertThat(after.makerNames()).containsEntry("m", "Maker");
        assertThat(after.firstAgreementDay()).contains(LocalDate.of(2026, 1, 1));
    }

    @Test
    void whileNothingChangesTheSameViewIsHandedOut() {
        replica.applyLive(List.of(agreement("a1", "2026-03-01")));
        RegistryReplica.Snapshot first = replica.snapshot();
        assertThat(replica.snapshot()).isSameAs(first);
        replica.applyLive(List.of(agreement("a2", "2026-04-01")));
        assertThat(replica.snapshot()).isNotSameAs(first);
        assertThat(replica.snapshot().agreements()).extracting(Agreement::id).contains("a1", "a2");
    }
}
