package dev.fairshare.systemtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fairshare.localstack.Http;
import dev.fairshare.localstack.Infrastructure;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 23's worked example through the three services: a subscription platform reports pooled
 * usage with its subscribers (one platform over HTTP, the other over Kafka), declares its pool, and
 * settlement splits it pro-rata on one platform and user-centric on the other. On the shared stack
 * ({@link SystemStack#shared()}): its names are {@code pools-}'s, and it reads the current month's
 * statements without closing it (closing, late pooled usage and {@code POOL_MISSING} are worked
 * through settlement-service in {@code SettlementPoolsTest}).
 *
 * <p>Models A and B have {@code POOL_SHARE} agreements on both platforms, C has none. Subscriber s1
 * used A 90 times, s2 used B 10 times, s3 used A 5 and C 15 times: 120 requests. Pool revenue
 * 1,000.00 USD, makerShare 0.50, so 500.00 to share.
 *
 * <ul>
 *   <li>PRO_RATA: A 95/120 × 500 = 395.8333…, B 10/120 × 500 = 41.6666…, C 15/120 × 500 = 62.50
 *       unpaid; rounded A 395.83, B 41.67, invoice 437.50.
 *   <li>USER_CENTRIC: 500/3 = 166.6666… a subscriber; A gets s1's and 5/20 of s3's = 208.3333…, B
 *       s2's = 166.6666…, C 15/20 of s3's = 125.00 unpaid; rounded A 208.33, B 166.67 (the cent of
 *       374.9999… goes to the larger remainder), invoice 375.00.
 * </ul>
 */
class PoolsIT {
    static final ObjectMapper MAPPER = new ObjectMapper();
    static SystemStack stack;

    @BeforeAll
    static void start() throws Exception {
        stack = SystemStack.shared();
    }

    static String event(String id, String platform, String ref, String subscriber, Instant at) {
        return "{\"eventId\":\""
                + id
                + "\",\"platformId\":\""
                + platform
                + "\",\"modelRef\":\""
                + ref
                + "\",\"occurredAt\":\""
                + at
                + "\",\"customerType\":\"COMMERCIAL\",\"units\":{\"requests\":1},"
                + "\"revenue\":{\"amount\":\"0\",\"currency\":\"USD\"},\"subscriberId\":\""
                + subscriber
                + "\"}";
    }

    /** The example's 120 events of {@code platform}, in a fixed order. */
    static List<String[]> usage(String platform, Instant at) {
        List<String[]> events = new ArrayList<>();
        Object[][] plan = {
            {"s1", "pools-alpha/a", 90}, {"s2", "pools-beta/b", 10},
            {"s3", "pools-alpha/a", 5}, {"s3", "pools-gamma/c", 15}
        };
        for (Object[] p : plan) {
            for (int i = 0; i < (int) p[2]; i++) {
                String id =
                        platform + "-" + p[0] + "-" + p[1].toString().replace('/', '-') + "-" + i;
                events.add(
                        new String[] {id, event(id, platform, (String) p[1], (String) p[0], at)});
            }
        }
        return events;
    }

    static String pool(String platform, YearMonth period, String method) {
        return "{\"platformId\":\""
                + platform
                + "\",\"period\":\""
                + period
                + "\",\"currency\":\"USD\",\"revenue\":\"1000.00\",\"makerShare\":\"0.50\","
                + "\"metric\":\"requests\",\"method\":\""
                + method
                + "\"}";
    }

    /** modelId → amount of the POOL_ROYALTY lines of {@code platform}'s statement. */
    static Map<String, BigDecimal> poolLines(String period, String platform, String finance)
            throws Exception {
        JsonNode lines =
                MAPPER.readTree(
                        Http.get(
                                        stack.settlement.url()
                                                + "/statements/"
                                                + period
                                                + "?platformId="
                                                + platform,
                                        finance)
                                .body());
        Map<String, BigDecimal> out = new TreeMap<>();
        for (JsonNode line : lines.get("items")) {
            assertThat(line.get("kind").asText()).isEqualTo("POOL_ROYALTY");
            out.put(line.get("modelId").asText(), new BigDecimal(line.get("amount").asText()));
        }
        return out;
    }

    /** Each platform's Kafka credentials, as the registry gave them, and its token. */
    private record Platforms(Map<String, JsonNode> kafka, Map<String, String> platformTokens) {}

    @Test
    void aSubscriptionPlatformsPoolIsSplitProRataAndUserCentric() throws Exception {
        String r = stack.registry.url();
        String admin =
                Http.token(
                        r,
                        "{\"username\":\"admin\",\"password\":\""
                                + Infrastructure.ADMIN_PASSWORD
                                + "\"}");
        YearMonth period = YearMonth.now(ZoneOffset.UTC);
        registerMakersWithAccounts(r, admin);
        Map<String, String> models = registerModelsWithAliases(r, admin);
        Platforms platforms = registerPlatformsInThePool(r, admin, period, models);
        Map<String, String> platformTokens = platforms.platformTokens();
        String finance = financeToken(r, admin);

        Instant at = Instant.now().minusSeconds(60);
        reportOverHttp(platformTokens, at);
        aTooLongSubscriberIdIsRefused(platformTokens, at);
        reportOverKafka(platforms.kafka(), at);
        declareThePools(period, platformTokens);

        String p = period.toString();
        theStatementsSplitEachPool(p, finance);
        theInvoicesChargeWhatWasShared(p, platformTokens);
        JsonNode unlicensed = cSeesWhatItWouldHaveEarned(r, p);
        noSubscriberReachesAMaker(r, p, unlicensed);
    }

    private static void registerMakersWithAccounts(String r, String admin) throws Exception {
        for (String maker : List.of("pools-alpha", "pools-beta", "pools-gamma")) {
            Http.postExpect(
                    r + "/makers",
                    "{\"id\":\"" + maker + "\",\"name\":\"" + maker + "\"}",
                    201,
                    admin);
            Http.postExpect(
                    r + "/accounts",
                    "{\"username\":\""
                            + maker
                            + "\",\"password\":\"pools-maker-password\",\"role\":\"MAKER\",\"makerId\":\""
                            + maker
                            + "\"}",
                    201,
                    admin);
        }
    }

    /** model id → its maker's id; each model's ref is {@code maker/a}, {@code maker/b}, … */
    private static Map<String, String> registerModelsWithAliases(String r, String admin)
            throws Exception {
        Map<String, String> models =
                Map.of("pools-a", "pools-alpha", "pools-b", "pools-beta", "pools-c", "pools-gamma");
        for (Map.Entry<String, String> m : models.entrySet()) {
            Http.postExpect(
                    r + "/models",
                    "{\"id\":\""
                            + m.getKey()
                            + "\",\"makerId\":\""
                            + m.getValue()
                            + "\",\"name\":\""
                            + m.getKey()
                            + "\",\"license\":{\"id\":\"apache-2.0\",\"commercialUse\":true}}",
                    201,
                    admin);
            Http.postExpect(
                    r + "/models/" + m.getKey() + "/aliases",
                    "{\"ref\":\"" + m.getValue() + "/" + m.getKey().substring(6) + "\"}",
                    201,
                    admin);
        }
        return models;
    }

    private static Platforms registerPlatformsInThePool(
            String r, String admin, YearMonth period, Map<String, String> models) throws Exception {
        Map<String, JsonNode> kafka = new TreeMap<>();
        Map<String, String> platformTokens = new TreeMap<>();
        for (String platform : List.of("pools-pr", "pools-uc")) {
            kafka.put(
                    platform,
                    MAPPER.readTree(
                                    Http.postExpect(
                                            r + "/platforms",
                                            "{\"id\":\""
                                                    + platform
                                                    + "\",\"name\":\""
                                                    + platform
                                                    + "\"}",
                                            201,
                                            admin))
                            .get("kafka"));
            String apiKey =
                    MAPPER.readTree(
                                    Http.postExpect(
                                            r + "/platforms/" + platform + "/api-keys",
                                            "",
                                            201,
                                            admin))
                            .get("apiKey")
                            .asText();
            platformTokens.put(platform, Http.token(r, "{\"apiKey\":\"" + apiKey + "\"}"));
            agreeToThePool(r, admin, period, models, platform);
        }
        return new Platforms(kafka, platformTokens);
    }

    private static void agreeToThePool(
            String r, String admin, YearMonth period, Map<String, String> models, String platform)
            throws Exception {
        // A and B take part in the platform's pool; C has no agreement
        for (String model : List.of("pools-a", "pools-b")) {
            Http.postExpect(
                    r + "/agreements",
                    "{\"id\":\""
                            + platform
                            + "-"
                            + model
                            + "\",\"makerId\":\""
                            + models.get(model)
                            + "\",\"platformId\":\""
                            + platform
                            + "\",\"modelId\":\""
                            + model
                            + "\",\"currency\":\"USD\",\"validFrom\":\""
                            + period.atDay(1)
                            + "T00:00:00Z\",\"terms\":{\"type\":\"POOL_SHARE\"}}",
                    201,
                    admin);
        }
    }

    private static String financeToken(String r, String admin) throws Exception {
        Http.postExpect(
                r + "/accounts",
                "{\"username\":\"pools-fin\",\"password\":\"pools-finance-password\",\"role\":\"FINANCE\"}",
                201,
                admin);
        String finance =
                Http.token(
                        r, "{\"username\":\"pools-fin\",\"password\":\"pools-finance-password\"}");
        return finance;
    }

    private static void reportOverHttp(Map<String, String> platformTokens, Instant at)
            throws Exception {
        // pools-pr reports over HTTP, in one batch, once the usage service knows the platform
        StringBuilder batch = new StringBuilder("[");
        for (String[] e : usage("pools-pr", at)) {
            batch.append(batch.length() > 1 ? "," : "").append(e[1]);
        }
        String body = batch.append(']').toString();
        JsonNode answer =
                await().atMost(Duration.ofSeconds(30))
                        .until(
                                () ->
                                        MAPPER.readTree(
                                                Http.post(
                                                                stack.usage.url() + "/usage-events",
                                                                body,
                                                                platformTokens.get("pools-pr"))
                                                        .body()),
                                n -> n.path("accepted").asInt() == 120);
        assertThat(answer.get("rejected")).isEmpty();
    }

    private static void aTooLongSubscriberIdIsRefused(
            Map<String, String> platformTokens, Instant at) throws Exception {
        // a subscriber id longer than 128 characters is refused, with its field
        JsonNode bad =
                MAPPER.readTree(
                        Http.post(
                                        stack.usage.url() + "/usage-events",
                                        "["
                                                + event(
                                                        "pools-pr-too-long",
                                                        "pools-pr",
                                                        "pools-alpha/a",
                                                        "s".repeat(129),
                                                        at)
                                                + "]",
                                        platformTokens.get("pools-pr"))
                                .body());
        assertThat(bad.at("/rejected/0/errors/0/code").asText()).isEqualTo("BAD_SUBSCRIBER_ID");
        assertThat(bad.at("/rejected/0/errors/0/field").asText()).isEqualTo("subscriberId");
    }

    private static void reportOverKafka(Map<String, JsonNode> kafka, Instant at) {
        // pools-uc writes the same usage to its topic as its own Kafka principal
        Map<String, Object> props =
                stack.infra
                        .broker()
                        .clientProperties(
                                kafka.get("pools-uc").get("username").asText(),
                                kafka.get("pools-uc").get("password").asText());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        try (KafkaProducer<String, String> p = new KafkaProducer<>(props)) {
            for (String[] e : usage("pools-uc", at)) {
                p.send(new ProducerRecord<>("usage.in.pools-uc", e[0], e[1]));
            }
            p.flush();
        }
    }

    private static void declareThePools(YearMonth period, Map<String, String> platformTokens)
            throws Exception {
        // each platform declares its pool; a platform never declares another's
        Http.postExpect(
                stack.settlement.url() + "/pools",
                pool("pools-pr", period, "PRO_RATA"),
                201,
                platformTokens.get("pools-pr"));
        Http.postExpect(
                stack.settlement.url() + "/pools",
                pool("pools-uc", period, "USER_CENTRIC"),
                201,
                platformTokens.get("pools-uc"));
        assertThat(
                        Http.post(
                                        stack.settlement.url() + "/pools",
                                        pool("pools-uc", period, "PRO_RATA"),
                                        platformTokens.get("pools-pr"))
                                .status())
                .isEqualTo(403);
    }

    /** The class comment's PRO_RATA split on pools-pr and USER_CENTRIC split on pools-uc. */
    private static void theStatementsSplitEachPool(String p, String finance) {
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(
                        () -> {
                            assertThat(poolLines(p, "pools-pr", finance))
                                    .containsExactlyEntriesOf(
                                            new TreeMap<>(
                                                    Map.of(
                                                            "pools-a", new BigDecimal("395.83"),
                                                            "pools-b", new BigDecimal("41.67"))));
                            assertThat(poolLines(p, "pools-uc", finance))
                                    .containsExactlyEntriesOf(
                                            new TreeMap<>(
                                                    Map.of(
                                                            "pools-a", new BigDecimal("208.33"),
                                                            "pools-b", new BigDecimal("166.67"))));
                        });
    }

    /** Each platform is invoiced the sum of its rounded pool lines, one invoice each. */
    private static void theInvoicesChargeWhatWasShared(String p, Map<String, String> platformTokens)
            throws Exception {
        for (Map.Entry<String, String> invoice :
                Map.of("pools-pr", "437.50", "pools-uc", "375.00").entrySet()) {
            JsonNode items =
                    MAPPER.readTree(
                                    Http.get(
                                                    stack.settlement.url() + "/invoices/" + p,
                                                    platformTokens.get(invoice.getKey()))
                                            .body())
                            .get("items");
            assertThat(items).hasSize(1);
            assertThat(new BigDecimal(items.at("/0/amount").asText()))
                    .isEqualByComparingTo(invoice.getValue());
        }
    }

    /** C's unlicensed usage as its maker reads it. */
    private static JsonNode cSeesWhatItWouldHaveEarned(String r, String p) throws Exception {
        // C's maker sees what C would have earned on each platform
        String gamma =
                Http.token(
                        r, "{\"username\":\"pools-gamma\",\"password\":\"pools-maker-password\"}");
        JsonNode unlicensed =
                MAPPER.readTree(
                        Http.get(stack.settlement.url() + "/unlicensed-usage?period=" + p, gamma)
                                .body());
        Map<String, BigDecimal> wouldHaveEarned = new TreeMap<>();
        for (JsonNode u : unlicensed.get("items")) {
            assertThat(u.get("modelId").asText()).isEqualTo("pools-c");
            assertThat(u.get("events").asLong()).isEqualTo(15);
            wouldHaveEarned.put(
                    u.get("platformId").asText(),
                    new BigDecimal(u.get("wouldHaveEarned").asText()));
        }
        assertThat(wouldHaveEarned).hasSize(2);
        assertThat(wouldHaveEarned.get("pools-pr")).isEqualByComparingTo("62.50");
        assertThat(wouldHaveEarned.get("pools-uc")).isEqualByComparingTo("125.00");
        return unlicensed;
    }

    private static void noSubscriberReachesAMaker(String r, String p, JsonNode unlicensed)
            throws Exception {
        // no subscriber reaches a maker: not in its statement, payouts or unlicensed usage
        String alpha =
                Http.token(
                        r, "{\"username\":\"pools-alpha\",\"password\":\"pools-maker-password\"}");
        for (String path :
                List.of("/statements/" + p, "/payouts/" + p, "/unlicensed-usage?period=" + p)) {
            String seen = Http.get(stack.settlement.url() + path, alpha).body();
            assertThat(seen)
                    .doesNotContain("subscriber")
                    .doesNotContain("\"s1\"")
                    .doesNotContain("\"s3\"");
        }
        assertThat(unlicensed.toString()).doesNotContain("subscriber").doesNotContain("\"s3\"");
        // and no usage-service endpoint answers a maker
        assertThat(
                        Http.get(stack.usage.url() + "/usage/events?platformId=pools-pr", alpha)
                                .status())
                .isEqualTo(403);
    }
}
