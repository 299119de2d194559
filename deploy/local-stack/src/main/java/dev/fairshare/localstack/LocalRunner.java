package dev.fairshare.localstack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The local stack: PostgreSQL 17 and Kafka (embedded unless FAIRSHARE_DB_URL /
 * FAIRSHARE_KAFKA_BOOTSTRAP name external servers), the three services from their packaged jars on
 * 8081–8083 (their management interfaces on 9081–9083), and the demo world. Ctrl-C stops everything
 * it started. Data lives under {@code target/local-stack/} and is recreated at each start.
 */
public final class LocalRunner {
    static final List<String> SERVICES =
            List.of("registry-service", "usage-service", "settlement-service");
    static final Map<String, Integer> PORTS =
            Map.of("registry-service", 8081, "usage-service", 8082, "settlement-service", 8083);

    /** A service's management port (health, metrics, OpenAPI) is its port plus this. */
    static final int MANAGEMENT_OFFSET = 1000;

    private LocalRunner() {}

    private static Map<String, String> withManagementPort(Map<String, String> env, int port) {
        Map<String, String> out = new java.util.LinkedHashMap<>(env);
        out.put(ServiceProcess.MANAGEMENT_PORT, Integer.toString(port));
        return out;
    }

    public static void main(String[] args) throws Exception {
        Path repo = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
        boolean seed = !List.of(args).contains("--no-demo");
        Path work = repo.resolve("target/local-stack");
        Files.createDirectories(work);
        System.out.println("Starting PostgreSQL and Kafka ...");
        // the services sign and verify tokens with a pair generated on the first start
        Infrastructure infra =
                Infrastructure.start(
                        work.resolve("postgres"), 0, Keys.generatedIn(work.resolve("keys")));
        List<ServiceProcess> services = new ArrayList<>();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    System.out.println("\nStopping ...");
                                    for (int i = services.size() - 1; i >= 0; i--) {
                                        services.get(i).close();
                                    }
                                    infra.close();
                                    stopped.countDown();
                                }));
        for (String name : SERVICES) {
            System.out.println("Starting " + name + " on " + PORTS.get(name) + " ...");
            services.add(
                    ServiceProcess.start(
                            repo,
                            name,
                            PORTS.get(name),
                            withManagementPort(
                                    infra.environment(name.replace("-service", "")),
                                    PORTS.get(name) + MANAGEMENT_OFFSET),
                            work.resolve("logs")));
        }
        for (ServiceProcess s : services) {
            s.awaitReady(Duration.ofMinutes(2));
        }
        String registry = services.get(0).url();
        String usage = services.get(1).url();
        String settlement = services.get(2).url();
        String registryManagement = services.get(0).managementUrl();
        String usageManagement = services.get(1).managementUrl();
        String settlementManagement = services.get(2).managementUrl();
        DemoSeed.Seeded seeded = null;
        if (seed) {
            seeded =
                    DemoSeed.seed(
                            registry,
                            usage,
                            LocalDate.now(ZoneOffset.UTC),
                            Infrastructure.ADMIN_PASSWORD);
            DemoSeed.seedPayoutProfiles(registry, settlement);
            DemoSeed.seedPools(registry, settlement, LocalDate.now(ZoneOffset.UTC));
            System.out.println(
                    "Demo data seeded: 2 makers (with payout profiles), 2 models, 3 platforms (one with"
                            + " a user-centric revenue pool), 5 agreements, "
                            + seeded.events()
                            + " usage events.");
        }
        System.out.println();
        System.out.println("Fairshare is up.");
        System.out.println(
                "  registry-service    "
                        + registry
                        + "   management (Swagger UI, OpenAPI, health, metrics) "
                        + registryManagement
                        + "/q/swagger-ui");
        System.out.println(
                "  usage-service       "
                        + usage
                        + "   management (Swagger UI, OpenAPI, health, metrics) "
                        + usageManagement
                        + "/q/swagger-ui");
        System.out.println(
                "  settlement-service  "
                        + settlement
                        + "   management (Swagger UI, OpenAPI, health, metrics) "
                        + settlementManagement
                        + "/q/swagger-ui");
        System.out.println(
                "  PostgreSQL          "
                        + infra.database().jdbcUrl("<registry|usage|settlement>")
                        + " (user "
                        + infra.database().user()
                        + ")");
        System.out.println(
                "  Kafka               "
                        + infra.broker().bootstrapServers()
                        + " (SASL_PLAINTEXT, SCRAM-SHA-512; services as fairshare-<service>,"
                        + " passwords in Infrastructure/KafkaSecurity)");
        System.out.println("  logs                " + work.resolve("logs"));
        System.out.println(
                "  dashboard           "
                        + settlement
                        + "/  (sign in as coqui, voicelab, finance or finance2)");
        System.out.println();
        System.out.println("Credentials (local stack only; POST " + registry + "/auth/token):");
        System.out.println(
                "  admin / "
                        + Infrastructure.ADMIN_PASSWORD
                        + "   (ADMIN: onboards, records agreements)");
        if (seeded != null) {
            DemoSeed.ACCOUNTS.forEach(
                    (user, account) ->
                            System.out.println(
                                    "  "
                                            + user
                                            + " / "
                                            + DemoSeed.DEMO_PASSWORD
                                            + "   "
                                            + account));
            seeded.apiKeys()
                    .forEach(
                            (platform, key) ->
                                    System.out.println("  API key of " + platform + ": " + key));
        }
        System.out.println();
        System.out.println(
                "Kafka for platforms (bootstrap "
                        + infra.broker().bootstrapServers()
                        + ", security.protocol=SASL_PLAINTEXT on this loopback broker, SASL_SSL in"
                        + " production; sasl.mechanism=SCRAM-SHA-512):");
        if (seeded != null) {
            seeded.kafkaPasswords()
                    .forEach(
                            (platform, password) ->
                                    System.out.println(
                                            "  "
                                                    + platform
                                                    + ": username "
                                                    + Topics.platformPrincipal(platform)
                                                    + ", password "
                                                    + password
                                                    + ", writes only "
                                                    + Topics.usageIn(platform)));
        }
        System.out.println(
                "  a platform onboarded with POST "
                        + registry
                        + "/platforms gets its own in the answer (shown once); rotate with POST,"
                        + " revoke with DELETE /platforms/{id}/kafka-credentials");
        System.out.println("  token signing keys  " + infra.keys().privateKey().getParent());
        System.out.println(
                "  try: TOKEN=$(curl -s -H 'Content-Type: application/json' -d"
                        + " '{\"username\":\"finance\",\"password\":\""
                        + DemoSeed.DEMO_PASSWORD
                        + "\"}' "
                        + registry
                        + "/auth/token | sed 's/.*\"accessToken\":\"\\([^\"]*\\)\".*/\\1/')");
        System.out.println(
                "       curl -H \"Authorization: Bearer $TOKEN\" "
                        + settlement
                        + "/payouts/"
                        + java.time.YearMonth.now(ZoneOffset.UTC));
        System.out.println("Press Ctrl-C to stop every process this started.");
        stopped.await();
    }
}
