package dev.fairshare.localstack;

import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A small demo world through the public API: two makers, a base model and a model derived from it,
 * three platforms, agreements, and a few hundred usage events over the previous and the current
 * month. One platform, streamvoice, sells subscriptions: its events of the current month carry a
 * pseudonymous subscriber and no price, both makers take part in its revenue pool through
 * POOL_SHARE agreements, and {@link #seedPools} declares its user-centric pool. Deterministic
 * (fixed random seed) for a given current month.
 */
public final class DemoSeed {
    private DemoSeed() {}

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The password of every demo account (local stack only). */
    public static final String DEMO_PASSWORD = "fairshare-demo";

    /** The demo accounts: username → role and tenant, as the runner prints them. */
    public static final java.util.Map<String, String> ACCOUNTS =
            new java.util.LinkedHashMap<>(
                    java.util.Map.of(
                            "finance", "{\"role\":\"FINANCE\"}",
                            // a payout run is approved by a second finance user
                            "finance2", "{\"role\":\"FINANCE\"}",
                            "coqui", "{\"role\":\"MAKER\",\"makerId\":\"coqui\"}",
                            "voicelab", "{\"role\":\"MAKER\",\"makerId\":\"voicelab\"}",
                            "acme", "{\"role\":\"PLATFORM\",\"platformId\":\"acme-cloud\"}",
                            "streamvoice",
                                    "{\"role\":\"PLATFORM\",\"platformId\":\"streamvoice\"}"));

    /** The subscription platform of the demo, which reports pooled usage and declares a pool. */
    public static final String SUBSCRIPTION_PLATFORM = "streamvoice";

    /**
     * What the seed created: events accepted, an API key per platform, and each platform's Kafka
     * password (its principal is {@code platform-<id>}, shown once by onboarding).
     */
    public record Seeded(
            int events,
            java.util.Map<String, String> apiKeys,
            java.util.Map<String, String> kafkaPasswords) {}

    /**
     * Seeds the world as the initial admin ({@code adminPassword}), creates the demo accounts and
     * an API key per platform, and reports usage with each platform's own token.
     */
    public static Seeded seed(
            String registryUrl, String usageUrl, LocalDate today, String adminPassword) {
        Registry admin = Registry.as(registryUrl, "admin", adminPassword);
        String start = YearMonth.from(today).minusMonths(1).atDay(1) + "T00:00:00Z";
        createMakers(admin);
        java.util.Map<String, String> kafkaPasswords = onboardPlatforms(admin);
        createModels(admin);
        createAgreements(admin, start);
        createPoolAgreements(admin, start);
        createAccounts(admin);
        java.util.Map<String, String> apiKeys = createApiKeys(admin);
        nameModels(admin, apiKeys);
        int accepted = reportUsage(registryUrl, usageUrl, today, apiKeys);
        return new Seeded(accepted, apiKeys, kafkaPasswords);
    }

    /** The registry at {@code url}, called with {@code token}. */
    private record Registry(String url, String token) {
        /** The registry called as the user {@code username}. */
        static Registry as(String url, String username, String password) {
            return new Registry(
                    url,
                    Http.token(
                            url,
                            "{\"username\":\""
                                    + username
                                    + "\",\"password\":\""
                                    + password
                                    + "\"}"));
        }

        /** POSTs {@code json} to {@code path}, expecting 201 Created; answers the body. */
        String create(String path, String json) {
            return Http.postExpect(url + path, json, 201, token);
        }
    }

    private static void createMakers(Registry admin) {
        admin.create("/makers", "{\"id\":\"coqui\",\"name\":\"Coqui\"}");
        admin.create("/makers", "{\"id\":\"voicelab\",\"name\":\"VoiceLab\"}");
    }

    /** The three platforms; answers each one's Kafka password, which onboarding shows once. */
    private static java.util.Map<String, String> onboardPlatforms(Registry admin) {
        java.util.Map<String, String> kafkaPasswords = new java.util.LinkedHashMap<>();
        for (String[] platform :
                List.of(
                        new String[] {"acme-cloud", "Acme Cloud"},
                        new String[] {"nimbus-ai", "Nimbus AI"},
                        new String[] {SUBSCRIPTION_PLATFORM, "StreamVoice"})) {
            String onboarded =
                    admin.create(
                            "/platforms",
                            "{\"id\":\"" + platform[0] + "\",\"name\":\"" + platform[1] + "\"}");
            kafkaPasswords.put(
                    platform[0],
                    onboarded.replaceAll("(?s).*\"password\"\\s*:\\s*\"([^\"]+)\".*", "$1"));
        }
        return kafkaPasswords;
    }

    /** coqui's base model and voicelab's model derived from it (30% of its royalties upstream). */
    private static void createModels(Registry admin) {
        admin.create(
                "/models",
                "{\"id\":\"xtts-v2\",\"makerId\":\"coqui\",\"name\":\"XTTS v2\","
                        + "\"license\":{\"id\":\"CPML\",\"commercialUse\":true}}");
        admin.create(
                "/models",
                "{\"id\":\"xtts-v2-nordic\",\"makerId\":\"voicelab\",\"name\":\"XTTS v2 Nordic\","
                        + "\"license\":{\"id\":\"CC-BY-NC-4.0\",\"commercialUse\":false},"
                        + "\"parents\":[{\"modelId\":\"xtts-v2\",\"royaltyShare\":\"0.30\"}]}");
    }

    /**
     * The priced agreements, from {@code start}: acme-cloud pays coqui a revenue share with a
     * minimum guarantee and voicelab tiered per-unit prices; nimbus-ai pays coqui a revenue share.
     * nimbus-ai serves voicelab's non-commercial model without an agreement: unlicensed usage.
     */
    private static void createAgreements(Registry admin, String start) {
        admin.create(
                "/agreements",
                "{\"id\":\"acme-coqui\",\"makerId\":\"coqui\",\"platformId\":\"acme-cloud\","
                        + "\"currency\":\"USD\",\"validFrom\":\""
                        + start
                        + "\",\"terms\":{\"type\":\"REVENUE_SHARE\",\"rate\":\"0.20\"},"
                        + "\"minimumGuarantee\":\"25.00\"}");
        admin.create(
                "/agreements",
                "{\"id\":\"acme-voicelab\",\"makerId\":\"voicelab\",\"platformId\":\"acme-cloud\","
                        + "\"modelId\":\"xtts-v2-nordic\",\"currency\":\"USD\",\"validFrom\":\""
                        + start
                        + "\","
                        + "\"terms\":{\"type\":\"PER_UNIT\",\"metric\":\"characters\",\"unitSize\":\"1000\","
                        + "\"tiers\":[{\"upTo\":\"100000\",\"price\":\"0.05\"},{\"upTo\":null,\"price\":\"0.03\"}]}}");
        admin.create(
                "/agreements",
                "{\"id\":\"nimbus-coqui\",\"makerId\":\"coqui\",\"platformId\":\"nimbus-ai\","
                        + "\"currency\":\"EUR\",\"validFrom\":\""
                        + start
                        + "\",\"terms\":{\"type\":\"REVENUE_SHARE\",\"rate\":\"0.15\"}}");
    }

    /**
     * streamvoice sells subscriptions: both makers' models (all of coqui's, voicelab's derived one)
     * take part in its revenue pool from {@code start}.
     */
    private static void createPoolAgreements(Registry admin, String start) {
        admin.create(
                "/agreements",
                "{\"id\":\"streamvoice-coqui-pool\",\"makerId\":\"coqui\",\"platformId\":\""
                        + SUBSCRIPTION_PLATFORM
                        + "\",\"currency\":\"USD\",\"validFrom\":\""
                        + start
                        + "\",\"terms\":{\"type\":\"POOL_SHARE\"}}");
        admin.create(
                "/agreements",
                "{\"id\":\"streamvoice-voicelab-pool\",\"makerId\":\"voicelab\",\"platformId\":\""
                        + SUBSCRIPTION_PLATFORM
                        + "\",\"modelId\":\"xtts-v2-nordic\",\"currency\":\"USD\",\"validFrom\":\""
                        + start
                        + "\",\"terms\":{\"type\":\"POOL_SHARE\"}}");
    }

    /** The {@link #ACCOUNTS}, each with {@link #DEMO_PASSWORD}. */
    private static void createAccounts(Registry admin) {
        for (var account : ACCOUNTS.entrySet()) {
            admin.create(
                    "/accounts",
                    "{\"username\":\""
                            + account.getKey()
                            + "\",\"password\":\""
                            + DEMO_PASSWORD
                            + "\","
                            + account.getValue().substring(1));
        }
    }

    /** An API key per platform; answers each one's secret. */
    private static java.util.Map<String, String> createApiKeys(Registry admin) {
        java.util.Map<String, String> apiKeys = new java.util.LinkedHashMap<>();
        for (String platform : List.of("acme-cloud", "nimbus-ai", SUBSCRIPTION_PLATFORM)) {
            String created = admin.create("/platforms/" + platform + "/api-keys", "");
            apiKeys.put(
                    platform, created.replaceAll("(?s).*\"apiKey\"\\s*:\\s*\"([^\"]+)\".*", "$1"));
        }
        return apiKeys;
    }

    /**
     * Names (DESIGN.md "Who may name a model"): ADMIN grants coqui its Hugging Face organisation,
     * coqui names its model inside it, acme-cloud names voicelab's model in its own catalogue, and
     * voicelab proposes its own name on nimbus-ai (a platform alias only once nimbus-ai accepts).
     */
    private static void nameModels(Registry admin, java.util.Map<String, String> apiKeys) {
        admin.create("/makers/coqui/namespaces", "{\"prefix\":\"coqui/\"}");
        Registry.as(admin.url(), "coqui", DEMO_PASSWORD)
                .create("/models/xtts-v2/aliases", "{\"ref\":\"coqui/XTTS-v2\"}");
        String acme = Http.token(admin.url(), "{\"apiKey\":\"" + apiKeys.get("acme-cloud") + "\"}");
        new Registry(admin.url(), acme)
                .create(
                        "/models/xtts-v2-nordic/aliases",
                        "{\"ref\":\"nordic-tts\",\"platformId\":\"acme-cloud\"}");
        Registry voicelab = Registry.as(admin.url(), "voicelab", DEMO_PASSWORD);
        Http.postExpect(
                voicelab.url() + "/models/xtts-v2-nordic/aliases",
                "{\"ref\":\"voicelab/xtts-v2-nordic\",\"platformId\":\"nimbus-ai\"}",
                202,
                voicelab.token());
    }

    /**
     * 150 priced events of acme-cloud and of nimbus-ai over the previous and the current month, and
     * streamvoice's 40 pooled ones, each reported with the platform's own API key; answers how many
     * were accepted. One random sequence (seed 42) draws them all, in that order.
     */
    private static int reportUsage(
            String registryUrl,
            String usageUrl,
            LocalDate today,
            java.util.Map<String, String> apiKeys) {
        Random random = new Random(42);
        int accepted = 0;
        for (String platform : List.of("acme-cloud", "nimbus-ai")) {
            accepted +=
                    post(
                            registryUrl,
                            usageUrl,
                            apiKeys.get(platform),
                            pricedEvents(platform, today, random));
        }
        accepted +=
                post(
                        registryUrl,
                        usageUrl,
                        apiKeys.get(SUBSCRIPTION_PLATFORM),
                        pooledEvents(YearMonth.from(today), today, random));
        return accepted;
    }

    /**
     * The platform's 150 priced events, alternately in the previous and the current month (up to
     * {@code today}): on acme-cloud every third names voicelab's model by acme's own alias and the
     * others coqui's by its Hugging Face name; on nimbus-ai two in four name voicelab's model by
     * its id, two coqui's. Every fifth is non-commercial.
     */
    private static List<String> pricedEvents(String platform, LocalDate today, Random random) {
        YearMonth current = YearMonth.from(today);
        List<String> events = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            String at = randomInstant(i % 2 == 0 ? current.minusMonths(1) : current, today, random);
            String ref =
                    platform.equals("acme-cloud")
                            ? (i % 3 == 0 ? "nordic-tts" : "coqui/XTTS-v2")
                            : (i % 4 < 2 ? "xtts-v2-nordic" : "xtts-v2");
            events.add(pricedEvent(platform, i, ref, at, random));
        }
        return events;
    }

    /**
     * A random minute of {@code month}, not after {@code today}: on today, in an hour before the
     * current one (in the first hour while the day's first hour lasts).
     */
    private static String randomInstant(YearMonth month, LocalDate today, Random random) {
        int lastDay =
                month.equals(YearMonth.from(today)) ? today.getDayOfMonth() : month.lengthOfMonth();
        LocalDate day = month.atDay(1 + random.nextInt(lastDay));
        int hours =
                day.equals(today)
                        ? Math.max(1, java.time.LocalTime.now(ZoneOffset.UTC).getHour())
                        : 24;
        return day.atTime(random.nextInt(hours), random.nextInt(60))
                .toInstant(ZoneOffset.UTC)
                .toString();
    }

    /**
     * Event {@code i} of the platform: a request of 200 to 4199 characters (and a fifteenth as many
     * audio seconds) for a revenue below 3, in USD on acme-cloud and EUR on nimbus-ai.
     */
    private static String pricedEvent(
            String platform, int i, String ref, String at, Random random) {
        String currency = platform.equals("acme-cloud") ? "USD" : "EUR";
        String customer = i % 5 == 0 ? "NON_COMMERCIAL" : "COMMERCIAL";
        int chars = 200 + random.nextInt(4000);
        String amount = String.format("%d.%04d", random.nextInt(3), random.nextInt(10000));
        return "{\"eventId\":\""
                + platform
                + "-demo-"
                + i
                + "\",\"platformId\":\""
                + platform
                + "\","
                + "\"modelRef\":\""
                + ref
                + "\",\"occurredAt\":\""
                + at
                + "\",\"customerType\":\""
                + customer
                + "\","
                + "\"units\":{\"requests\":1,\"characters\":"
                + chars
                + ",\"audio_seconds\":"
                + (chars / 15)
                + "},"
                + "\"revenue\":{\"amount\":\""
                + amount
                + "\",\"currency\":\""
                + currency
                + "\"}}";
    }

    /**
     * Posts events as the platform of {@code apiKey}; answers how many were accepted. The usage
     * service learns of new platforms from the registry topics within moments, and events are
     * de-duplicated by eventId, so posting again until none is refused is safe.
     */
    private static int post(
            String registryUrl, String usageUrl, String apiKey, List<String> events) {
        String body = "[" + String.join(",", events) + "]";
        String token = Http.token(registryUrl, "{\"apiKey\":\"" + apiKey + "\"}");
        int accepted = 0;
        for (int attempt = 0; attempt < 60; attempt++) {
            String answer = Http.postExpect(usageUrl + "/usage-events", body, 202, token);
            accepted += Integer.parseInt(answer.replaceAll(".*\"accepted\":(\\d+).*", "$1"));
            if (!answer.contains("UNKNOWN_PLATFORM")) {
                break;
            }
            sleep(500);
        }
        return accepted;
    }

    /**
     * streamvoice's subscribers: pseudonymous ids (a hash the platform makes; never a name), which
     * no maker ever sees.
     */
    public static final List<String> SUBSCRIBERS =
            List.of("sub-3f9a1c07", "sub-8b21d4e9", "sub-c05e77a2", "sub-e4d1902b");

    /**
     * streamvoice's subscribers' use of both models this month: 40 events without a price (one
     * request each), each with a subscriber, so that they are pooled usage split by its revenue
     * pool. The first subscriber is a light listener of the derived model only (5 requests); the
     * second and third use 10 requests each and the fourth 15, of which every fifth event (2, 2 and
     * 3) goes to the derived model and the others to the base model. A user-centric split therefore
     * differs from a pro-rata one (the light listener's subscription counts in full).
     */
    private static List<String> pooledEvents(YearMonth current, LocalDate today, Random random) {
        // event i's subscriber is SUBSCRIBERS.get(slots[i % 8])
        int[] slots = {0, 1, 1, 2, 2, 3, 3, 3};
        List<String> events = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            LocalDate day = current.atDay(1 + random.nextInt(today.getDayOfMonth()));
            String at = day.atStartOfDay().toInstant(ZoneOffset.UTC).toString();
            String subscriber = SUBSCRIBERS.get(slots[i % slots.length]);
            String ref =
                    subscriber.equals(SUBSCRIBERS.get(0)) || i % 5 == 0
                            ? "xtts-v2-nordic"
                            : "coqui/XTTS-v2";
            events.add(
                    "{\"eventId\":\""
                            + SUBSCRIPTION_PLATFORM
                            + "-demo-"
                            + i
                            + "\",\"platformId\":\""
                            + SUBSCRIPTION_PLATFORM
                            + "\",\"modelRef\":\""
                            + ref
                            + "\",\"occurredAt\":\""
                            + at
                            + "\",\"customerType\":\"COMMERCIAL\",\"subscriberId\":\""
                            + subscriber
                            + "\",\"units\":{\"requests\":1,\"characters\":"
                            + (200 + random.nextInt(4000))
                            + "},\"revenue\":{\"amount\":\"0\",\"currency\":\"USD\"}}");
        }
        return events;
    }

    /**
     * streamvoice declares its revenue pool of the current month (settlement-service, as the
     * platform): 500.00 USD of subscriptions, 40% to makers, split user-centric by requests. Run
     * after {@link #seed}, once settlement-service is up.
     */
    public static void seedPools(String registryUrl, String settlementUrl, LocalDate today) {
        String platform =
                Http.token(
                        registryUrl,
                        "{\"username\":\"streamvoice\",\"password\":\"" + DEMO_PASSWORD + "\"}");
        String body =
                "{\"platformId\":\""
                        + SUBSCRIPTION_PLATFORM
                        + "\",\"period\":\""
                        + YearMonth.from(today)
                        + "\",\"currency\":\"USD\",\"revenue\":\"500.00\",\"makerShare\":\"0.40\","
                        + "\"metric\":\"requests\",\"method\":\"USER_CENTRIC\"}";
        // settlement learns of the platform from the registry topics within moments
        for (int attempt = 0; ; attempt++) {
            Http.Response r = Http.post(settlementUrl + "/pools", body, platform);
            if (r.status() == 201) {
                return;
            }
            if (attempt == 60) {
                throw new IllegalStateException(
                        "declaring streamvoice's pool: HTTP " + r.status() + " " + r.body());
            }
            sleep(500);
        }
    }

    /**
     * The makers' payout profiles (settlement-service, as each maker): coqui is paid in USD to an
     * IBAN, voicelab in EUR to a payment-provider account. Run after {@link #seed}, once
     * settlement-service is up.
     */
    public static void seedPayoutProfiles(String registryUrl, String settlementUrl) {
        String coqui =
                Http.token(
                        registryUrl,
                        "{\"username\":\"coqui\",\"password\":\"" + DEMO_PASSWORD + "\"}");
        Http.putExpect(
                settlementUrl + "/payout-profiles/coqui",
                "{\"currency\":\"USD\",\"payeeName\":\"Coqui GmbH\","
                        + "\"iban\":\"DE89370400440532013000\",\"bic\":\"COBADEFFXXX\"}",
                200,
                coqui);
        String voicelab =
                Http.token(
                        registryUrl,
                        "{\"username\":\"voicelab\",\"password\":\"" + DEMO_PASSWORD + "\"}");
        Http.putExpect(
                settlementUrl + "/payout-profiles/voicelab",
                "{\"currency\":\"EUR\",\"threshold\":\"5.00\",\"payeeName\":\"VoiceLab AB\","
                        + "\"providerAccount\":\"wise:voicelab-eur\"}",
                200,
                voicelab);
    }
}
