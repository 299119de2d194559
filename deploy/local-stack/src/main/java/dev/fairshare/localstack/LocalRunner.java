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

    /**
     * Starts the infrastructure and the services, seeds the demo world (unless {@code --no-demo}),
     * prints where everything is and waits for Ctrl-C.
     */
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
        CountDownLatch stopped = stopAllOnShutdown(infra, services);
        startServices(repo, work, infra, services);
        String registry = services.get(0).url();
        String settlement = services.get(2).url();
        DemoSeed.Seeded seeded =
                seed ? seedDemo(registry, services.get(1).url(), settlement) : null;
        System.out.println();
        System.out.println("Fairshare is up.");
        printAddresses(services, infra, work);
        printCredentials(registry, seeded);
        printKafkaForPlatforms(registry, infra, seeded);
        System.out.println("  token signing keys  " + infra.keys().privateKey().getParent());
        printFirstCall(registry, settlement);
        System.out.println("Press Ctrl-C to stop every process this started.");
        stopped.await();
    }

    /**
     * On shutdown (Ctrl-C) the services stop in reverse order, then the infrastructure; the latch
     * opens once all have stopped.
     */
    private static CountDownLatch stopAllOnShutdown(
            Infrastructure infra, List<ServiceProcess> services) {
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
        return stopped;
    }

    /**
     * Starts each service on its port (added to {@code services}) and waits until all are ready.
     */
    private static void startServices(
            Path repo, Path work, Infrastructure infra, List<ServiceProcess> services)
            throws Exception {
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
    }

    /** The demo world: makers with payout profiles, models, platforms, agreements, pools, usage. */
    private static DemoSeed.Seeded seedDemo(String registry, String usage, String settlement)
            throws Exception {
        DemoSeed.Seeded seeded =
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
        return seeded;
    }

    /** Where each service, its management interface, the databases, Kafka and the logs are. */
    private static void printAddresses(
            List<ServiceProcess> services, Infrastructure infra, Path work) {
        for (int i = 0; i < SERVICES.size(); i++) {
            System.out.println(
                    "  "
                            + String.format("%-20s", SERVICES.get(i))
                            + services.get(i).url()
                            + "   management (Swagger UI, OpenAPI, health, metrics) "
                            + services.get(i).managementUrl()
                            + "/q/swagger-ui");
        }
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
                        + services.get(2).url()
                        + "/  (sign in as coqui, voicelab, finance or finance2)");
    }

    /** The admin's sign-in, and with the demo world its accounts and the platforms' API keys. */
    private static void printCredentials(String registry, DemoSeed.Seeded seeded) {
        System.out.println();
        System.out.println("Credentials (local stack only; POST " + registry + "/auth/token):");
        System.out.println(
                "  admin / "
                        + Infrastructure.ADMIN_PASSWORD
                        + "   (ADMIN: onboards, records agreements)");
        if (seeded == null) {
            return;
        }
        DemoSeed.ACCOUNTS.forEach(
                (user, account) ->
                        System.out.println(
                                "  " + user + " / " + DemoSeed.DEMO_PASSWORD + "   " + account));
        seeded.apiKeys()
                .forEach(
                        (platform, key) ->
                                System.out.println("  API key of " + platform + ": " + key));
    }

    /** How platforms reach Kafka, and with the demo world each demo platform's credential. */
    private static void printKafkaForPlatforms(
            String registry, Infrastructure infra, DemoSeed.Seeded seeded) {
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
    }

    /** A first call to try: a token for finance, then this month's payouts. */
    private static void printFirstCall(String registry, String settlement) {
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
    }
}
