package dev.fairshare.systemtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fairshare.localstack.Http;
import dev.fairshare.localstack.Infrastructure;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Who may name a model, across the three services: a maker's attempts to take another maker's ref
 * are refused by the registry, and usage-service keeps attributing the victim's events to the
 * victim once every registry change before them has reached it; a proposal accepted by the platform
 * attributes the ref's stored backlog, a rejected one leaves it unattributed. On the shared stack
 * ({@link SystemStack#shared()}): its names are {@code names-}'s.
 */
class NamesIT {
    static final ObjectMapper MAPPER = new ObjectMapper();
    static SystemStack stack;
    static String registry;
    static String usage;
    static String admin;
    static String acme;
    static String coqui;
    static String voicelab;

    @BeforeAll
    static void start() throws Exception {
        stack = SystemStack.shared();
        registry = stack.registry.url();
        usage = stack.usage.url();
        admin =
                Http.token(
                        registry,
                        "{\"username\":\"admin\",\"password\":\""
                                + Infrastructure.ADMIN_PASSWORD
                                + "\"}");
        for (String maker : List.of("names-coqui", "names-voicelab")) {
            Http.postExpect(
                    registry + "/makers",
                    "{\"id\":\"" + maker + "\",\"name\":\"" + maker + "\"}",
                    201,
                    admin);
            Http.postExpect(
                    registry + "/accounts",
                    "{\"username\":\""
                            + maker
                            + "\",\"password\":\""
                            + maker
                            + "-password\",\"role\":\"MAKER\",\"makerId\":\""
                            + maker
                            + "\"}",
                    201,
                    admin);
        }
        coqui =
                Http.token(
                        registry,
                        "{\"username\":\"names-coqui\",\"password\":\"names-coqui-password\"}");
        voicelab =
                Http.token(
                        registry,
                        "{\"username\":\"names-voicelab\",\"password\":\"names-voicelab-password\"}");
        Http.postExpect(
                registry + "/platforms",
                "{\"id\":\"names-acme\",\"name\":\"Acme Cloud\"}",
                201,
                admin);
        String apiKey =
                MAPPER.readTree(
                                Http.postExpect(
                                        registry + "/platforms/names-acme/api-keys",
                                        "",
                                        201,
                                        admin))
                        .get("apiKey")
                        .asText();
        acme = Http.token(registry, "{\"apiKey\":\"" + apiKey + "\"}");

        // coqui holds names-coqui/ and names its model there; voicelab has a model derived from it
        Http.postExpect(
                registry + "/makers/names-coqui/namespaces",
                "{\"prefix\":\"names-coqui/\"}",
                201,
                admin);
        Http.postExpect(
                registry + "/models",
                "{\"id\":\"names-xtts-v2\",\"makerId\":\"names-coqui\",\"name\":\"XTTS v2\","
                        + "\"license\":{\"id\":\"CPML\",\"commercialUse\":true}}",
                201,
                admin);
        Http.postExpect(
                registry + "/models",
                "{\"id\":\"names-xtts-v2-nordic\",\"makerId\":\"names-voicelab\",\"name\":\"XTTS v2 Nordic\","
                        + "\"license\":{\"id\":\"CPML\",\"commercialUse\":true},"
                        + "\"parents\":[{\"modelId\":\"names-xtts-v2\",\"royaltyShare\":\"0.30\"}]}",
                201,
                admin);
        Http.postExpect(
                registry + "/models/names-xtts-v2/aliases",
                "{\"ref\":\"names-coqui/XTTS-v2\"}",
                201,
                coqui);
    }

    static String event(String id, String ref) {
        return "{\"eventId\":\""
                + id
                + "\",\"platformId\":\"names-acme\",\"modelRef\":\""
                + ref
                + "\",\"occurredAt\":\""
                + Instant.now().minusSeconds(60)
                + "\",\"customerType\":\"COMMERCIAL\","
                + "\"units\":{\"requests\":1,\"output_tokens\":800},"
                + "\"revenue\":{\"amount\":\"1.00\",\"currency\":\"USD\"}}";
    }

    /** Reports {@code count} events for {@code ref} as names-acme; answers their ids. */
    static List<String> report(String prefix, String ref, int count) {
        List<String> ids = new ArrayList<>();
        StringBuilder batch = new StringBuilder("[");
        for (int i = 0; i < count; i++) {
            String id = prefix + "-" + i;
            ids.add(id);
            batch.append(i == 0 ? "" : ",").append(event(id, ref));
        }
        String body = batch.append("]").toString();
        // the platform is known to usage-service once the registry has published it
        await().atMost(Duration.ofSeconds(30))
                .until(
                        () ->
                                MAPPER.readTree(
                                        Http.post(usage + "/usage-events", body, acme).body()),
                        n -> n.path("accepted").asInt() == count);
        return ids;
    }

    /**
     * The model each stored event is attributed to ("" for an unattributed one), once every one of
     * {@code ids} is stored.
     */
    static List<String> attribution(List<String> ids) throws Exception {
        List<String> models = new ArrayList<>();
        for (String id : ids) {
            Http.Response r = Http.get(usage + "/usage/events/names-acme/" + id, acme);
            assertThat(r.status()).as("event %s stored", id).isEqualTo(200);
            JsonNode attribution = MAPPER.readTree(r.body()).get("attribution");
            if (attribution == null || attribution.isNull()) {
                models.add("");
            } else {
                assertThat(attribution).as("event %s attributed to one model", id).hasSize(1);
                models.add(attribution.get(0).get("modelId").asText());
            }
        }
        return models;
    }

    static void awaitAttribution(List<String> ids, String modelId) {
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(
                        () ->
                                assertThat(attribution(ids))
                                        .hasSize(ids.size())
                                        .containsOnly(modelId));
    }

    /** The status and problem code with which the registry answers a POST. */
    static String answer(String path, String json, String token) throws Exception {
        Http.Response r = Http.post(registry + path, json, token);
        return r.status() + " " + MAPPER.readTree(r.body()).path("code").asText();
    }

    @Test
    void anotherMakersRefCannotBeTakenAndItsEventsStayWithItsModel() throws Exception {
        awaitAttribution(report("before", "names-coqui/XTTS-v2", 10), "names-xtts-v2");

        String aliases = "/models/names-xtts-v2-nordic/aliases";
        // the platform alias of the hijack: on acme the ref resolves (globally) to coqui's model,
        // so voicelab cannot even propose it to the platform
        String onAcme = "{\"ref\":\"names-coqui/XTTS-v2\",\"platformId\":\"names-acme\"}";
        assertThat(answer(aliases, onAcme, voicelab)).isEqualTo("403 REF_HELD_BY_ANOTHER_MAKER");
        // a global alias from a later day
        String tomorrow = LocalDate.now(ZoneOffset.UTC).plusDays(1) + "T00:00:00Z";
        String later = "{\"ref\":\"names-coqui/XTTS-v2\",\"validFrom\":\"" + tomorrow + "\"}";
        assertThat(answer(aliases, later, voicelab)).isEqualTo("403 REF_HELD_BY_ANOTHER_MAKER");
        // a ref nobody holds yet, inside coqui's namespace
        String unreleased = "{\"ref\":\"names-coqui/XTTS-v3\"}";
        assertThat(answer(aliases, unreleased, voicelab)).isEqualTo("403 REF_NOT_IN_NAMESPACE");

        // a later legitimate name taking effect shows that usage-service has every earlier change
        Http.postExpect(
                registry + "/models/names-xtts-v2/aliases",
                "{\"ref\":\"names-coqui/XTTS-v2-hd\"}",
                201,
                coqui);
        awaitAttribution(report("barrier", "names-coqui/XTTS-v2-hd", 2), "names-xtts-v2");

        List<String> after = report("after", "names-coqui/XTTS-v2", 10);
        awaitAttribution(after, "names-xtts-v2");
        assertThat(attribution(after)).hasSize(10).containsOnly("names-xtts-v2");
    }

    @Test
    void anAcceptedProposalAttributesTheBacklogARejectedOneLeavesItUnattributed() throws Exception {
        // events for two refs nobody named yet: stored unattributed
        List<String> accepted = report("nordic", "names-nordic-tts", 6);
        List<String> rejected = report("nordic-pro", "names-nordic-tts-pro", 6);
        awaitAttribution(accepted, "");
        awaitAttribution(rejected, "");

        long toAccept = propose("names-nordic-tts");
        long toReject = propose("names-nordic-tts-pro");
        // a maker cannot decide its own proposal
        assertThat(answer("/alias-proposals/" + toReject + "/accept", "{}", voicelab))
                .isEqualTo("403 FORBIDDEN");
        Http.postExpect(
                registry + "/alias-proposals/" + toReject + "/reject",
                "{\"reason\":\"not in our catalogue\"}",
                200,
                acme);
        Http.postExpect(registry + "/alias-proposals/" + toAccept + "/accept", "{}", 200, acme);

        // the accepted name reaches usage-service after the rejection: the backlog is attributed
        awaitAttribution(accepted, "names-xtts-v2-nordic");
        assertThat(attribution(rejected)).hasSize(6).containsOnly("");
    }

    static long propose(String ref) throws Exception {
        return MAPPER.readTree(
                        Http.postExpect(
                                registry + "/models/names-xtts-v2-nordic/aliases",
                                "{\"ref\":\"" + ref + "\",\"platformId\":\"names-acme\"}",
                                202,
                                voicelab))
                .get("proposalId")
                .asLong();
    }
}
