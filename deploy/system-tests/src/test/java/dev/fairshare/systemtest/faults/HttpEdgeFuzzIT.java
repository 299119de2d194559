package dev.fairshare.systemtest.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fairshare.localstack.Http;
import dev.fairshare.localstack.Infrastructure;
import dev.fairshare.localstack.ServiceProcess;
import dev.fairshare.systemtest.SystemStack;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Mutated usage events against the running HTTP edge of usage-service (a process): whatever the
 * bytes, the answer is never a 5xx; it is a 202 listing every event as accepted, duplicate or
 * rejected with a code, or a problem+json with a stable code. On the shared stack ({@link
 * SystemStack#shared()}): its platform is {@code fuzz}, whose events name no model.
 */
class HttpEdgeFuzzIT {
    static final ObjectMapper MAPPER = new ObjectMapper();
    static final Set<String> REQUEST_CODES = Set.of("MALFORMED_JSON", "TOO_MANY_EVENTS");
    static ServiceProcess registry;
    static ServiceProcess usage;
    static String token;

    @BeforeContainer
    static void start() throws Exception {
        SystemStack stack = SystemStack.shared();
        registry = stack.registry;
        usage = stack.usage;
        String admin =
                Http.token(
                        registry.url(),
                        "{\"username\":\"admin\",\"password\":\""
                                + Infrastructure.ADMIN_PASSWORD
                                + "\"}");
        Http.postExpect(
                registry.url() + "/platforms", "{\"id\":\"fuzz\",\"name\":\"Fuzz\"}", 201, admin);
        String key =
                MAPPER.readTree(
                                Http.postExpect(
                                        registry.url() + "/platforms/fuzz/api-keys",
                                        "",
                                        201,
                                        admin))
                        .get("apiKey")
                        .asText();
        token = Http.token(registry.url(), "{\"apiKey\":\"" + key + "\"}");
    }

    static final String VALID =
            "{\"eventId\":\"e-1\",\"platformId\":\"fuzz\",\"modelRef\":\"some/model\",\"occurredAt\":\""
                    + Instant.now().minus(Duration.ofHours(1)).toString().substring(0, 19)
                    + "Z\",\"customerType\":\"COMMERCIAL\",\"units\":{\"requests\":1,\"output_tokens\":800},"
                    + "\"revenue\":{\"amount\":\"0.0123\",\"currency\":\"USD\"}}";

    @Property(tries = 400)
    void theEdgeNeverAnswers5xx(@ForAll("bodies") String body) throws Exception {
        Http.Response r = Http.post(usage.url() + "/usage-events", body, token);
        assertThat(r.status()).as(body).isLessThan(500);
        JsonNode json = MAPPER.readTree(r.body());
        if (r.status() == 202) {
            int listed =
                    json.get("accepted").asInt()
                            + json.get("duplicates").asInt()
                            + json.get("rejected").size();
            assertThat(listed).as("every event is accounted for: " + body).isPositive();
            for (JsonNode rejected : json.get("rejected")) {
                assertThat(rejected.get("errors")).as(body).isNotEmpty();
                for (JsonNode e : rejected.get("errors")) {
                    assertThat(e.get("code").asText()).as(body).matches("[A-Z_]+");
                }
            }
        } else {
            assertThat(r.status()).as(body).isIn(400, 413, 415);
            assertThat(json.get("code").asText()).as(body).matches("[A-Z_]+");
            assertThat(json.get("status").asInt()).isEqualTo(r.status());
        }
    }

    @Provide
    Arbitrary<String> bodies() {
        Arbitrary<String> mutated =
                Combinators.combine(
                                Arbitraries.integers().between(0, VALID.length() - 1),
                                Arbitraries.integers().between(0, 12),
                                Arbitraries.strings()
                                        .withChars(
                                                "{}[]\":,\\0123456789-.eE truefalsn\u0000\u00e9\ud83d\ude00")
                                        .ofMaxLength(8))
                        .as(
                                (at, cut, insert) ->
                                        VALID.substring(0, at)
                                                + insert
                                                + VALID.substring(
                                                        Math.min(VALID.length(), at + cut)));
        Arbitrary<String> fieldSwaps =
                Arbitraries.of(
                                "\"1\"",
                                "-1",
                                "1e400",
                                "null",
                                "[]",
                                "{}",
                                "\"\"",
                                "true",
                                "\"2026-13-45T99:00:00Z\"",
                                "\"9999999999999999999999.99999999999999999999\"",
                                "\"NaN\"",
                                "\"\\u0000\"",
                                "\"" + "x".repeat(300) + "\"")
                        .flatMap(
                                v ->
                                        Arbitraries.of(
                                                        "\"eventId\":\"e-1\"",
                                                        "\"platformId\":\"fuzz\"",
                                                        "\"modelRef\":\"some/model\"",
                                                        "\"customerType\":\"COMMERCIAL\"",
                                                        "\"requests\":1",
                                                        "\"amount\":\"0.0123\"",
                                                        "\"currency\":\"USD\"")
                                                .map(
                                                        field ->
                                                                VALID.replace(
                                                                        field,
                                                                        field.substring(
                                                                                        0,
                                                                                        field
                                                                                                        .indexOf(
                                                                                                                ':')
                                                                                                + 1)
                                                                                + v)));
        Arbitrary<String> event = Arbitraries.oneOf(mutated, fieldSwaps, Arbitraries.just(VALID));
        Arbitrary<String> arrays =
                event.list().ofMinSize(1).ofMaxSize(5).map(l -> "[" + String.join(",", l) + "]");
        Arbitrary<String> raw = Arbitraries.strings().ofMaxLength(40);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, arrays),
                net.jqwik.api.Tuple.of(2, event),
                net.jqwik.api.Tuple.of(2, raw));
    }
}
