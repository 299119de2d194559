package dev.fairshare.systemtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fairshare.localstack.Http;
import dev.fairshare.localstack.Infrastructure;
import dev.fairshare.localstack.ServiceProcess;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The walking skeleton end to end: the three packaged services as separate processes on a real
 * PostgreSQL and a real Kafka broker; usage over HTTP and straight to Kafka reaches settlement's
 * payouts with the exact amount, once. On the shared stack ({@link SystemStack#shared()}): its
 * maker, platform, model, ref and accounts are {@code e2e-}'s.
 */
class EndToEndIT {
    static final ObjectMapper MAPPER = new ObjectMapper();
    static SystemStack stack;
    static Infrastructure infra;
    static ServiceProcess registry;
    static ServiceProcess usage;
    static ServiceProcess settlement;

    @BeforeAll
    static void start() throws Exception {
        stack = SystemStack.shared();
        infra = stack.infra;
        registry = stack.registry;
        usage = stack.usage;
        settlement = stack.settlement;
    }

    static String event(String id, Instant at, String amount) {
        return "{\"eventId\":\""
                + id
                + "\",\"platformId\":\"e2e-acme\",\"modelRef\":\"e2e-coqui/XTTS-v2\","
                + "\"occurredAt\":\""
                + at
                + "\",\"customerType\":\"COMMERCIAL\","
                + "\"units\":{\"requests\":1,\"output_tokens\":800},\"revenue\":{\"amount\":\""
                + amount
                + "\",\"currency\":\"USD\"}}";
    }

    /** The platform's API key and the tokens of the platform, finance and the maker. */
    private record SignedIn(String apiKey, String platform, String finance, String maker) {}

    @Test
    void usageOverHttpAndKafkaIsPaidOutExactlyOnce() throws Exception {
        String r = registry.url();
        // the initial admin from configuration onboards everything
        String admin =
                Http.token(
                        r,
                        "{\"username\":\"admin\",\"password\":\""
                                + Infrastructure.ADMIN_PASSWORD
                                + "\"}");
        JsonNode kafka = onboardMakerPlatformModelAndAgreement(r, admin);
        // the platform reports with its API key's token, finance and the maker read with theirs
        SignedIn signedIn = signIn(r, admin);
        String platform = signedIn.platform();

        Instant at = Instant.now().minusSeconds(60);
        YearMonth period = YearMonth.from(at.atZone(ZoneOffset.UTC));
        reportOverHttpOneAcceptedOneRejected(at, platform);
        reportOverKafka(kafka, at);
        reportTheHttpEventTwiceMore(at, platform);

        assertPaidOutOnce(period, signedIn.finance());
        assertEachEventCountedOnce(platform);
        assertMakerSeesOnlyItsOwnPayout(period, signedIn.maker());
        assertRevokedKeyIsRefused(r, admin, signedIn.apiKey());
    }

    /**
     * The maker, the platform, the model with its alias and their agreement; answers the platform's
     * Kafka credentials.
     */
    private static JsonNode onboardMakerPlatformModelAndAgreement(String r, String admin)
            throws Exception {
        Http.postExpect(r + "/makers", "{\"id\":\"e2e-coqui\",\"name\":\"Coqui\"}", 201, admin);
        // onboarding answers the platform's Kafka credentials, once
        JsonNode kafka =
                MAPPER.readTree(
                                Http.postExpect(
                                        r + "/platforms",
                                        "{\"id\":\"e2e-acme\",\"name\":\"Acme Cloud\"}",
                                        201,
                                        admin))
                        .get("kafka");
        Http.postExpect(
                r + "/models",
                "{\"id\":\"e2e-xtts-v2\",\"makerId\":\"e2e-coqui\",\"name\":\"XTTS v2\","
                        + "\"license\":{\"id\":\"CPML\",\"commercialUse\":true}}",
                201,
                admin);
        Http.postExpect(
                r + "/models/e2e-xtts-v2/aliases", "{\"ref\":\"e2e-coqui/XTTS-v2\"}", 201, admin);
        // from the previous month on: the shared stack's settlement calendar starts no earlier
        YearMonth previous = YearMonth.now(ZoneOffset.UTC).minusMonths(1);
        Http.postExpect(
                r + "/agreements",
                "{\"id\":\"e2e-acme-coqui\",\"makerId\":\"e2e-coqui\",\"platformId\":\"e2e-acme\","
                        + "\"currency\":\"USD\",\"validFrom\":\""
                        + previous.atDay(1)
                        + "T00:00:00Z\",\"terms\":{\"type\":\"REVENUE_SHARE\",\"rate\":\"0.20\"}}",
                201,
                admin);
        return kafka;
    }

    private static SignedIn signIn(String r, String admin) throws Exception {
        String apiKey =
                MAPPER.readTree(Http.postExpect(r + "/platforms/e2e-acme/api-keys", "", 201, admin))
                        .get("apiKey")
                        .asText();
        String platform = Http.token(r, "{\"apiKey\":\"" + apiKey + "\"}");
        Http.postExpect(
                r + "/accounts",
                "{\"username\":\"e2e-fin\",\"password\":\"finance-password\",\"role\":\"FINANCE\"}",
                201,
                admin);
        String finance =
                Http.token(r, "{\"username\":\"e2e-fin\",\"password\":\"finance-password\"}");
        Http.postExpect(
                r + "/accounts",
                "{\"username\":\"e2e-coqui\",\"password\":\"coqui-password\",\"role\":\"MAKER\",\"makerId\":\"e2e-coqui\"}",
                201,
                admin);
        String maker =
                Http.token(r, "{\"username\":\"e2e-coqui\",\"password\":\"coqui-password\"}");
        return new SignedIn(apiKey, platform, finance, maker);
    }

    /** One event accepted and one rejected, once the registry has published the platform. */
    private static void reportOverHttpOneAcceptedOneRejected(Instant at, String platform)
            throws Exception {
        String overHttp =
                "["
                        + event("http-1", at, "10.00")
                        + ","
                        + event("bad-1", at, "1.00").replace("\"USD\"", "\"XYZ\"")
                        + "]";
        // the platform becomes known to the usage service once the registry has published it
        JsonNode answer =
                await().atMost(Duration.ofSeconds(30))
                        .until(
                                () ->
                                        MAPPER.readTree(
                                                Http.post(
                                                                usage.url() + "/usage-events",
                                                                overHttp,
                                                                platform)
                                                        .body()),
                                n -> n.path("accepted").asInt() == 1);
        assertThat(answer.get("rejected")).hasSize(1);
        assertThat(answer.at("/rejected/0/index").asInt()).isEqualTo(1);
        assertThat(answer.at("/rejected/0/errors/0/code").asText()).isEqualTo("BAD_CURRENCY");
    }

    /** One event on the platform's inbound topic. */
    private static void reportOverKafka(JsonNode kafka, Instant at) throws Exception {
        // the platform writes to its topic as its own Kafka principal
        java.util.Map<String, Object> props =
                infra.broker()
                        .clientProperties(
                                kafka.get("username").asText(), kafka.get("password").asText());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        try (KafkaProducer<String, String> p = new KafkaProducer<>(props)) {
            p.send(
                            new ProducerRecord<>(
                                    "usage.in.e2e-acme", "kafka-1", event("kafka-1", at, "2.50")))
                    .get();
        }
    }

    /** The HTTP event again, twice, each accepted. */
    private static void reportTheHttpEventTwiceMore(Instant at, String platform) throws Exception {
        // the same event twice more: counted once
        Http.postExpect(
                usage.url() + "/usage-events",
                "[" + event("http-1", at, "10.00") + "]",
                202,
                platform);
        Http.postExpect(
                usage.url() + "/usage-events",
                "[" + event("http-1", at, "10.00") + "]",
                202,
                platform);
    }

    /** The agreement's 20% of 10.00 + 2.50, each event paid once: 2.50 to the maker. */
    private static void assertPaidOutOnce(YearMonth period, String finance) {
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(
                        () -> {
                            JsonNode payouts =
                                    MAPPER.readTree(
                                            Http.get(
                                                            settlement.url()
                                                                    + "/payouts/"
                                                                    + period
                                                                    + "?makerId=e2e-coqui",
                                                            finance)
                                                    .body());
                            assertThat(payouts.get("items")).hasSize(1);
                            assertThat(payouts.at("/items/0/makerId").asText())
                                    .isEqualTo("e2e-coqui");
                            assertThat(payouts.at("/items/0/currency").asText()).isEqualTo("USD");
                            assertThat(new BigDecimal(payouts.at("/items/0/amount").asText()))
                                    .isEqualByComparingTo("2.50");
                        });
    }

    /** The usage summary counts the two accepted events and their revenue once. */
    private static void assertEachEventCountedOnce(String platform) throws Exception {
        JsonNode summary =
                MAPPER.readTree(
                        Http.get(
                                        usage.url()
                                                + "/usage/summary?platformId=e2e-acme&groupBy=month",
                                        platform)
                                .body());
        assertThat(summary.at("/items/0/events").asLong()).isEqualTo(2);
        assertThat(new BigDecimal(summary.at("/items/0/revenue/0/amount").asText()))
                .isEqualByComparingTo("12.50");
    }

    private static void assertMakerSeesOnlyItsOwnPayout(YearMonth period, String maker)
            throws Exception {
        // the maker sees its own payout, and nothing of another maker or of the ledger
        JsonNode own =
                MAPPER.readTree(Http.get(settlement.url() + "/payouts/" + period, maker).body());
        assertThat(own.get("items")).hasSize(1);
        assertThat(new BigDecimal(own.at("/items/0/amount").asText())).isEqualByComparingTo("2.50");
        assertThat(
                        Http.get(settlement.url() + "/payouts/" + period + "?makerId=other", maker)
                                .status())
                .isEqualTo(403);
        assertThat(Http.get(settlement.url() + "/ledger/balances", maker).status()).isEqualTo(403);
        assertThat(Http.get(settlement.url() + "/payouts/" + period).status()).isEqualTo(401);
    }

    private static void assertRevokedKeyIsRefused(String r, String admin, String apiKey)
            throws Exception {
        // a revoked key is refused
        String keyId =
                MAPPER.readTree(Http.get(r + "/platforms/e2e-acme/api-keys", admin).body())
                        .at("/0/keyId")
                        .asText();
        assertThat(Http.send("DELETE", r + "/platforms/e2e-acme/api-keys/" + keyId, admin).status())
                .isEqualTo(204);
        assertThat(Http.post(r + "/auth/token", "{\"apiKey\":\"" + apiKey + "\"}").status())
                .isEqualTo(401);
    }
}
