package dev.fairshare.settlement.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fairshare.settlement.config.KafkaConnection;
import dev.fairshare.settlement.engine.RevenueShare;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * The replica applies an entity's states in the order of the registry's outbox ids, whatever order
 * the records are read in: an older state read after a newer one (a replay after a consumer error,
 * a record the relay sent again) is never applied, and a re-read keeps what it had served.
 */
class RegistryReplicaOrderTest {
    final RegistryReplica replica =
            new RegistryReplica(new ObjectMapper(), new KafkaConnection(java.util.Map.of()));
    long offset;

    @Test
    void anOlderStateReadAfterANewerOneIsNotApplied() throws Exception {
        RegistryReplica.State s = new RegistryReplica.State();
        replica.apply(agreement("ag-1", "0.3", 7), s);
        replica.apply(agreement("ag-1", "0.1", 4), s);
        replica.apply(agreement("ag-1", "0.2", 7), s);
        assertThat(rate(s, "ag-1")).isEqualByComparingTo("0.3");
        // a deletion older than the state is not applied either; a newer one is, for good
        replica.apply(record("registry.agreements", "ag-1", null, 6), s);
        assertThat(s.agreements()).containsKey("ag-1");
        replica.apply(record("registry.agreements", "ag-1", null, 9), s);
        replica.apply(agreement("ag-1", "0.3", 8), s);
        assertThat(s.agreements()).doesNotContainKey("ag-1");
        // a newer state after the deletion brings it back
        replica.apply(agreement("ag-1", "0.25", 10), s);
        assertThat(rate(s, "ag-1")).isEqualByComparingTo("0.25");
    }

    @Test
    void aReReadAfterAnErrorThatMeetsOlderStatesKeepsTheNewerOnesItServed() throws Exception {
        RegistryReplica.State served = new RegistryReplica.State();
        replica.apply(model("md-1", false, 12), served);
        replica.apply(record("registry.platforms", "pf-1", "{\"name\":\"Old\"}", 3), served);
        replica.apply(record("registry.makers", "mk-1", "{\"name\":\"Gone\"}", 4), served);
        replica.apply(record("registry.makers", "mk-1", null, 5), served);
        // the re-read from the beginning meets an older state of md-1 and mk-1 only, and a newer
        // one of pf-1
        RegistryReplica.State reread = new RegistryReplica.State();
        replica.apply(model("md-1", true, 11), reread);
        replica.apply(record("registry.platforms", "pf-1", "{\"name\":\"New\"}", 8), reread);
        replica.apply(record("registry.makers", "mk-1", "{\"name\":\"Gone\"}", 4), reread);
        reread.keepNewerOf(served);
        assertThat(reread.models().get("md-1").commercialUse()).isFalse();
        assertThat(reread.platforms()).containsEntry("pf-1", "New");
        assertThat(reread.makers()).doesNotContainKey("mk-1");
        assertThat(reread.versions())
                .containsEntry("registry.models\u0000md-1", 12L)
                .containsEntry("registry.platforms\u0000pf-1", 8L)
                .containsEntry("registry.makers\u0000mk-1", 5L);
    }

    @Test
    void aRecordWithoutAnOutboxIdIsApplied() throws Exception {
        RegistryReplica.State s = new RegistryReplica.State();
        replica.apply(record("registry.platforms", "pf-2", "{\"name\":\"A\"}", 5), s);
        ConsumerRecord<String, String> plain =
                new ConsumerRecord<>("registry.platforms", 0, offset++, "pf-2", "{\"name\":\"B\"}");
        replica.apply(plain, s);
        assertThat(s.platforms()).containsEntry("pf-2", "B");
    }

    static BigDecimal rate(RegistryReplica.State s, String id) {
        return ((RevenueShare) s.agreements().get(id).terms()).rate();
    }

    ConsumerRecord<String, String> agreement(String id, String rate, long outboxId) {
        return record(
                "registry.agreements",
                id,
                "{\"id\":\""
                        + id
                        + "\",\"makerId\":\"mk\",\"platformId\":\"pf\",\"currency\":\"USD\","
                        + "\"validFrom\":\"2020-01-01T00:00:00Z\","
                        + "\"terms\":{\"type\":\"REVENUE_SHARE\",\"rate\":\""
                        + rate
                        + "\"}}",
                outboxId);
    }

    ConsumerRecord<String, String> model(String id, boolean commercialUse, long outboxId) {
        return record(
                "registry.models",
                id,
                "{\"id\":\""
                        + id
                        + "\",\"makerId\":\"mk\",\"license\":{\"id\":\"x\",\"commercialUse\":"
                        + commercialUse
                        + "},\"parents\":[]}",
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
