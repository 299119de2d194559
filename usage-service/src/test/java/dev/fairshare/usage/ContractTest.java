package dev.fairshare.usage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fairshare.usage.kafka.AttributedDelta;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/** Pins the messages this service writes to (and reads from) other services. */
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
        AttributedDelta delta = mapper.treeToValue(example, AttributedDelta.class);
        assertThat(delta.rows().get(0).revenue()).isEqualTo("0.0246");
        assertThat(mapper.readTree(mapper.writeValueAsString(delta))).isEqualTo(example);
    }
}
