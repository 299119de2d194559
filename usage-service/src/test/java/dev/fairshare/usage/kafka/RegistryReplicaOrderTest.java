package dev.fairshare.usage.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fairshare.usage.domain.AliasIndex;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * The replica applies a model's or platform's states in the order of the registry's outbox ids,
 * whatever order the records are read in: an older state read after a newer one (a replay after a
 * consumer error, a record the relay sent again) is never applied, and a re-read keeps what it had
 * served.
 */
class RegistryReplicaOrderTest {
    static final ObjectMapper MAPPER = new ObjectMapper();
    static final Instant AT = Instant.parse("2026-03-01T00:00:00Z");
    long offset;

    @Test
    void anOlderAliasSetReadAfterANewerOneIsNotApplied() {
        AliasIndex index = new AliasIndex();
        Set<String> platforms = new HashSet<>();
        Map<String, Long> versions = new HashMap<>();
        assertThat(apply(model("md-1", "gpt-new", 9), index, platforms, versions))
                .isEqualTo("md-1");
        // the older state, read later, would move the alias back to another ref
        assertThat(apply(model("md-1", "gpt-old", 4), index, platforms, versions)).isNull();
        assertThat(index.resolve("pf", "gpt-new", AT)).contains("md-1");
        assertThat(index.resolve("pf", "gpt-old", AT)).isEmpty();
        // an older deletion is not applied; a newer one is, and an older state does not undo it
        apply(record(RegistryReplica.MODELS, "md-1", null, 8), index, platforms, versions);
        assertThat(index.resolve("pf", "gpt-new", AT)).contains("md-1");
        apply(record(RegistryReplica.MODELS, "md-1", null, 10), index, platforms, versions);
        apply(model("md-1", "gpt-new", 9), index, platforms, versions);
        assertThat(index.resolve("pf", "gpt-new", AT)).isEmpty();
        // platforms alike
        apply(record(RegistryReplica.PLATFORMS, "pf-1", null, 3), index, platforms, versions);
        apply(record(RegistryReplica.PLATFORMS, "pf-1", "{}", 2), index, platforms, versions);
        assertThat(platforms).doesNotContain("pf-1");
    }

    @Test
    void aReReadAfterAnErrorThatMeetsOlderStatesKeepsTheNewerOnesItServed() {
        AliasIndex served = new AliasIndex();
        Set<String> servedPlatforms = new HashSet<>();
        Map<String, Long> servedVersions = new HashMap<>();
        apply(model("md-1", "ref-new", 12), served, servedPlatforms, servedVersions);
        apply(model("md-2", "ref-two", 3), served, servedPlatforms, servedVersions);
        apply(
                record(RegistryReplica.PLATFORMS, "pf-1", null, 7),
                served,
                servedPlatforms,
                servedVersions);
        // the re-read from the beginning meets an older state of md-1 and pf-1, a newer one of md-2
        AliasIndex reread = new AliasIndex();
        Set<String> rereadPlatforms = new HashSet<>();
        Map<String, Long> rereadVersions = new HashMap<>();
        apply(model("md-1", "ref-old", 11), reread, rereadPlatforms, rereadVersions);
        apply(model("md-2", "ref-three", 5), reread, rereadPlatforms, rereadVersions);
        apply(
                record(RegistryReplica.PLATFORMS, "pf-1", "{}", 6),
                reread,
                rereadPlatforms,
                rereadVersions);
        RegistryReplica.keepNewer(
                reread, rereadPlatforms, rereadVersions, served, servedPlatforms, servedVersions);
        assertThat(reread.resolve("pf", "ref-new", AT)).contains("md-1");
        assertThat(reread.resolve("pf", "ref-old", AT)).isEmpty();
        assertThat(reread.resolve("pf", "ref-three", AT)).contains("md-2");
        assertThat(reread.resolve("pf", "ref-two", AT)).isEmpty();
        assertThat(rereadPlatforms).doesNotContain("pf-1");
        assertThat(rereadVersions)
                .containsEntry("registry.models\u0000md-1", 12L)
                .containsEntry("registry.models\u0000md-2", 5L)
                .containsEntry("registry.platforms\u0000pf-1", 7L);
    }

    String apply(
            ConsumerRecord<String, String> r,
            AliasIndex index,
            Set<String> platforms,
            Map<String, Long> versions) {
        return RegistryReplica.apply(r, index, platforms, versions, MAPPER);
    }

    ConsumerRecord<String, String> model(String id, String ref, long outboxId) {
        return record(
                RegistryReplica.MODELS,
                id,
                "{\"id\":\""
                        + id
                        + "\",\"aliases\":[{\"ref\":\""
                        + ref
                        + "\",\"platformId\":null,\"validFrom\":\"2020-01-01T00:00:00Z\"}]}",
                outboxId);
    }

    ConsumerRecord<String, String> record(String topic, String key, String value, long outboxId) {
        ConsumerRecord<String, String> r = new ConsumerRecord<>(topic, 0, offset++, key, value);
        r.headers()
                .add(
                        RegistryReplica.OUTBOX_ID,
                        Long.toString(outboxId).getBytes(StandardCharsets.UTF_8));
        return r;
    }
}
