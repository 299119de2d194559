package dev.fairshare.usage.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The fold writes its {@code usage.attributed} deltas straight into the outbox's COPY: the text
 * must be exactly what Jackson writes for the same {@link AttributedDelta}, which the contract
 * tests pin.
 */
class DeltaJsonTest {
    private static final ObjectMapper JACKSON = new ObjectMapper();

    @Property(tries = 300)
    void theOutboxTextIsJacksonsTextOfTheSameDelta(@ForAll("sums") List<RollupBatchesTest.Sum> sums)
            throws Exception {
        Map<RollupKey, RollupDelta> byKey = new LinkedHashMap<>();
        for (RollupBatchesTest.Sum s : sums) {
            byKey.computeIfAbsent(s.key(), k -> new RollupDelta())
                    .addSums(s.events(), s.revenue(), s.units());
        }
        List<Map.Entry<RollupKey, RollupDelta>> entries = new ArrayList<>(byKey.entrySet());

        CopyRows rows = new CopyRows();
        AttributedOutbox.deltaJson(rows, "fold-1/2", "fold-1", "org/m\"1", entries);
        String written = CopyRowsTest.unescape(rows.toString());

        List<AttributedDelta.Row> expectedRows = new ArrayList<>();
        for (Map.Entry<RollupKey, RollupDelta> e : entries) {
            expectedRows.add(AttributedOutbox.row(e.getKey(), e.getValue()));
        }
        String expected =
                JACKSON.writeValueAsString(
                        new AttributedDelta("fold-1/2", "fold-1", "org/m\"1", expectedRows));
        assertThat(written).isEqualTo(expected);
        // and it reads back as the same delta
        assertThat(JACKSON.readValue(written, AttributedDelta.class))
                .isEqualTo(JACKSON.readValue(expected, AttributedDelta.class));
    }

    @Provide
    Arbitrary<List<RollupBatchesTest.Sum>> sums() {
        return new RollupBatchesTest().batches().filter(l -> !l.isEmpty());
    }
}
