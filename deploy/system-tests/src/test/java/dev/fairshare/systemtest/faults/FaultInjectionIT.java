package dev.fairshare.systemtest.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fairshare.localstack.Database;
import dev.fairshare.localstack.Http;
import dev.fairshare.localstack.Infrastructure;
import dev.fairshare.localstack.KafkaSecurity;
import dev.fairshare.localstack.Keys;
import dev.fairshare.localstack.ServiceProcess;
import dev.fairshare.localstack.Topics;
import dev.fairshare.systemtest.SystemStack;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Breaks things on purpose while a load generator sends a known set of events, then compares the
 * usage roll-ups, settlement's roll-ups and the payouts with the generator's own tally. The
 * services run as processes from their packaged jars, the broker as a process from Kafka's jars,
 * PostgreSQL as a server this test stops and starts. Each scenario has its own maker, platform and
 * model, so its tally is its own; see docs/reliability.md. Runs before the ITs on the shared stack,
 * alone ({@link SystemStack}).
 */
@Order(1)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultInjectionIT {
    static final ObjectMapper MAPPER = new ObjectMapper();
    static final YearMonth PERIOD = YearMonth.now(ZoneOffset.UTC).minusMonths(1);
    static final BigDecimal RATE = new BigDecimal("0.2");
    static final int EVENTS = 2000;
    static final int CHUNK = 100;

    static Path work;
    static Path repo;
    static int pgPort;
    static Database db;
    static BrokerProcess broker;
    static Keys keys;
    static ServiceProcess registry;
    static ServiceProcess usage;
    static ServiceProcess settlement;
    static final List<ServiceProcess> extraUsage = new ArrayList<>();
    static String admin;
    static String finance;
    static KafkaProducer<String, String> producer;

    /** Every poison record sent, by key, with the code the DLQ must carry. */
    static final Map<String, String> poison = new TreeMap<>();

    /** Every scenario's maker and its expected payout, for the close at the end. */
    static final Map<String, BigDecimal> expectedPayouts = new TreeMap<>();

    @BeforeAll
    static void start() throws Exception {
        SystemStack.closeShared();
        repo = Path.of(System.getProperty("fairshare.repo", "../..")).toAbsolutePath().normalize();
        work = repo.resolve("deploy/system-tests/target/faults");
        if (Files.exists(work)) {
            try (var files = Files.walk(work)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        Files.createDirectories(work);
        keys = Keys.testPair(work.resolve("keys"));
        pgPort = BrokerProcess.freePort();
        db = Database.start(work.resolve("postgres"), pgPort, false);
        broker = BrokerProcess.start(work.resolve("kafka"));
        registry = service("registry-service", BrokerProcess.freePort());
        usage = service("usage-service", BrokerProcess.freePort());
        settlement = service("settlement-service", BrokerProcess.freePort());
        for (ServiceProcess s : List.of(registry, usage, settlement)) {
            s.awaitReady(Duration.ofMinutes(2));
        }
        admin =
                Http.token(
                        registry.url(),
                        "{\"username\":\"admin\",\"password\":\""
                                + Infrastructure.ADMIN_PASSWORD
                                + "\"}");
        Http.postExpect(
                registry.url() + "/accounts",
                "{\"username\":\"finance\",\"password\":\"finance-password\",\"role\":\"FINANCE\"}",
                201,
                admin);
        finance =
                Http.token(
                        registry.url(),
                        "{\"username\":\"finance\",\"password\":\"finance-password\"}");
        // the events' producer writes usage.in.* as usage-service's HTTP edge may
        Map<String, Object> p = broker.clientProperties(Topics.USAGE_PRINCIPAL);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "180000");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        producer = new KafkaProducer<>(p);
    }

    static ServiceProcess service(String name, int port) {
        return service(name, port, Map.of());
    }

    /** A service process with {@code extra} environment variables (e.g. its group instance id). */
    static ServiceProcess service(String name, int port, Map<String, String> extra) {
        String database = name.replace("-service", "");
        Map<String, String> env =
                new HashMap<>(
                        Infrastructure.asEnvironment(
                                Infrastructure.config(
                                        db, broker.bootstrapServers(), keys, database)));
        env.putAll(extra);
        return ServiceProcess.start(repo, name, port, env, work.resolve("logs"));
    }

    static ServiceProcess restart(ServiceProcess s) {
        s.close();
        ServiceProcess again = service(s.name(), port(s));
        again.awaitReady(Duration.ofMinutes(2));
        return again;
    }

    static int port(ServiceProcess s) {
        return Integer.parseInt(s.url().substring(s.url().lastIndexOf(':') + 1));
    }

    @AfterAll
    static void stop() throws Exception {
        if (producer != null) {
            producer.close();
        }
        for (ServiceProcess s : extraUsage) {
            s.close();
        }
        for (ServiceProcess s : new ServiceProcess[] {settlement, usage, registry}) {
            if (s != null) {
                s.close();
            }
        }
        if (broker != null) {
            broker.close();
        }
        if (db != null) {
            db.close();
        }
    }

    // ---------------------------------------------------------------- the scenarios

    @Test
    @Order(1)
    void killingUsageServiceMidStreamLosesAndDoublesNothing() throws Exception {
        Scenario s = Scenario.onboard("kill-usage");
        s.send(
                1,
                chunk -> {
                    if (chunk == 6) {
                        usage.kill();
                        usage = service("usage-service", port(usage));
                        usage.awaitReady(Duration.ofMinutes(2));
                    }
                });
        s.verify();
    }

    @Test
    @Order(2)
    void restartingTheBrokerMidStreamLosesAndDoublesNothing() throws Exception {
        Scenario s = Scenario.onboard("broker-restart");
        s.send(
                1,
                chunk -> {
                    if (chunk == 6) {
                        broker.restart();
                    }
                });
        s.verify();
    }

    @Test
    @Order(3)
    void restartingPostgresMidStreamLosesAndDoublesNothing() throws Exception {
        Scenario s = Scenario.onboard("pg-restart");
        s.send(
                1,
                chunk -> {
                    if (chunk == 6) {
                        db.close();
                        db = Database.start(work.resolve("postgres"), pgPort, false);
                    }
                });
        s.verify();
    }

    @Test
    @Order(4)
    void aDuplicateStormCountsEachEventOnce() throws Exception {
        Scenario s = Scenario.onboard("storm");
        // every event three times, over HTTP and Kafka, interleaved
        s.send(3, chunk -> {});
        s.verify();
    }

    @Test
    @Order(5)
    void poisonRecordsGoToTheDeadLettersAndBlockNothing() throws Exception {
        Scenario s = Scenario.onboard("poison");
        s.poisonEvery = 100;
        s.send(1, chunk -> {});
        s.verify();
        Map<String, String> dead = deadLetters();
        assertThat(dead)
                .as("usage.dlq holds exactly the poison records, with their codes")
                .isEqualTo(poison);
    }

    @Test
    @Order(6)
    void killingOneOfThreeUsageInstancesMidWayLosesAndDoublesNothing() throws Exception {
        // usage-x1, killed for good below, has a session of 10 s instead of the production 60 s:
        // the group moves its partitions once the session expires either way, 50 s sooner
        for (int i = 1; i <= 2; i++) {
            extraUsage.add(
                    service(
                            "usage-service",
                            BrokerProcess.freePort(),
                            i == 1
                                    ? Map.of(
                                            "USAGE_GROUP_INSTANCE_ID",
                                            "usage-x1",
                                            "USAGE_SESSION_TIMEOUT",
                                            "10s")
                                    : Map.of("USAGE_GROUP_INSTANCE_ID", "usage-x" + i)));
        }
        for (ServiceProcess s : extraUsage) {
            s.awaitReady(Duration.ofMinutes(2));
        }
        Scenario s = Scenario.onboard("rebalance");
        long[] killedAt = new long[1];
        s.send(
                1,
                chunk -> {
                    if (chunk == 6) {
                        extraUsage.get(0).kill();
                        killedAt[0] = System.nanoTime();
                    }
                });
        s.verify();
        // a static member that does not come back is dropped once its session (10 s) expires;
        // until then every rebalance of the group waits for it
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> !members(USAGE_GROUP).contains("usage-x1"));
        System.out.printf(
                "the killed usage-x1 left the group %d s after the kill%n",
                (System.nanoTime() - killedAt[0]) / 1_000_000_000);
        extraUsage.remove(0);
        for (ServiceProcess u : extraUsage) {
            u.close();
        }
        extraUsage.clear();
    }

    @Test
    @Order(10)
    void killingSettlementDuringACloseLeavesThePeriodWholeOrOpen() throws Exception {
        Map<String, BigDecimal> before = payouts();
        assertThat(before).isEqualTo(expectedPayouts);
        for (long delay : new long[] {5, 15, 25, 35, 50, 80, 120}) {
            CompletableFuture<Http.Response> close =
                    CompletableFuture.supplyAsync(
                            () ->
                                    Http.post(
                                            settlement.url()
                                                    + "/periods/"
                                                    + PERIOD
                                                    + "/close?force=true",
                                            "",
                                            finance));
            Thread.sleep(delay);
            settlement.kill();
            close.handle((r, e) -> null).get(30, TimeUnit.SECONDS);
            // restarted as an orchestrator restarts it, with the group instance id it has had
            // since scenario 8: a new id would leave the group waiting a session for the old one
            settlement =
                    service(
                            "settlement-service",
                            port(settlement),
                            Map.of("SETTLEMENT_GROUP_INSTANCE_ID", "settlement-a"));
            settlement.awaitReady(Duration.ofMinutes(2));
            JsonNode state = json(settlement.url() + "/payouts/" + PERIOD, finance);
            System.out.printf(
                    "settlement killed %d ms after POST /periods/%s/close: %s after the restart%n",
                    delay, PERIOD, state.get("status").asText());
            // whatever the instant: open, or closed with the whole statement
            assertThat(payouts()).isEqualTo(expectedPayouts);
            if (state.get("status").asText().equals("CLOSED")) {
                assertClosedWhole();
                return;
            }
        }
        Http.Response r =
                Http.post(
                        settlement.url() + "/periods/" + PERIOD + "/close?force=true", "", finance);
        assertThat(r.status()).isEqualTo(200);
        assertClosedWhole();
    }

    // ---------------------------------------------------------------- static group membership

    static final String USAGE_GROUP = "usage-service";

    /** The longest a restarted consumer may take from ready to its first committed batch. */
    static final Duration RESUME_BOUND = Duration.ofSeconds(10);

    /**
     * What each restart scenario measured: from the restarted process being ready to its first
     * batch committed in PostgreSQL.
     */
    static final Map<String, Duration> resumed = new TreeMap<>();

    @Test
    @Order(7)
    void aKilledUsageServiceRestartedWithItsInstanceIdResumesWithinSeconds() throws Exception {
        restartScenario(usage, "usage-a", "static-usage", s -> "usage.in." + s.platform);
    }

    @Test
    @Order(8)
    void aKilledSettlementServiceRestartedWithItsInstanceIdResumesWithinSeconds() throws Exception {
        // usage-service folds the events into deltas while settlement-service is down
        restartScenario(settlement, "settlement-a", "static-settlement", s -> "usage.attributed");
    }

    /**
     * Gives {@code service} the group instance id {@code id} (a graceful restart), then sends a
     * scenario's events with a platform writing to Kafka in the background all along; after the 7th
     * chunk, {@code kill -9} of the service, waits until its {@code topic} holds records past the
     * offsets it stored, and restarts it with the same id. Its first batch is committed within
     * {@link #RESUME_BOUND} of it being ready, and the tally is exact.
     */
    static void restartScenario(
            ServiceProcess service,
            String id,
            String name,
            java.util.function.Function<Scenario, String> topicOf)
            throws Exception {
        String prefix = service.name().replace("-service", "");
        Map<String, String> env = Map.of(prefix.toUpperCase() + "_GROUP_INSTANCE_ID", id);
        String group = service.name();
        service.close();
        replace(service(service.name(), port(service), env)).awaitReady(Duration.ofMinutes(2));
        Scenario s = Scenario.onboard(name);
        String topic = topicOf.apply(s);
        try (Flow flow = new Flow(s)) {
            s.send(
                    1,
                    chunk -> {
                        if (chunk == 6) {
                            (group.equals(USAGE_GROUP) ? usage : settlement).kill();
                            Map<Integer, Long> before = stored(prefix, group, topic);
                            awaitPending(topic, before);
                            ServiceProcess again =
                                    replace(service(service.name(), port(service), env));
                            resumed.put(
                                    service.name(),
                                    awaitFirstCommit(again, prefix, group, topic, before));
                        }
                    });
        }
        s.verify();
        assertThat(resumed.get(service.name()))
                .as(service.name() + ": ready to its first committed batch after kill -9")
                .isLessThan(RESUME_BOUND);
    }

    /** Makes {@code s} the scenarios' usage-service or settlement-service; answers it. */
    static ServiceProcess replace(ServiceProcess s) {
        if (s.name().equals("usage-service")) {
            usage = s;
        } else {
            settlement = s;
        }
        return s;
    }

    @Test
    @Order(9)
    void aSecondUsageInstanceJoiningAndLeavingRebalancesAtOnce() throws Exception {
        Scenario s = Scenario.onboard("join-leave");
        String topic = "usage.in." + s.platform;
        ServiceProcess second =
                service(
                        "usage-service",
                        BrokerProcess.freePort(),
                        Map.of("USAGE_GROUP_INSTANCE_ID", "usage-b"));
        extraUsage.add(second);
        second.awaitReady(Duration.ofMinutes(2));
        // joining: the scenario's partitions are shared between the two members
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .untilAsserted(
                        () -> {
                            Map<String, Set<Integer>> owners = owners(USAGE_GROUP, topic);
                            assertThat(owners).containsOnlyKeys("usage-a", "usage-b");
                            assertThat(owners.values()).allSatisfy(p -> assertThat(p).isNotEmpty());
                        });
        long[] leftIn = new long[1];
        try (Flow flow = new Flow(s)) {
            s.send(
                    1,
                    chunk -> {
                        if (chunk == 6) {
                            // a scale-down: the instance stops gracefully and leaves the group,
                            // whose other member takes all its partitions well before the session
                            // timeout (60 s) would have expired
                            second.close();
                            extraUsage.remove(second);
                            long left = System.nanoTime();
                            await().atMost(RESUME_BOUND)
                                    .pollInterval(Duration.ofMillis(100))
                                    .untilAsserted(
                                            () ->
                                                    assertThat(owners(USAGE_GROUP, topic))
                                                            .isEqualTo(
                                                                    Map.of(
                                                                            "usage-a",
                                                                            Set.of(0, 1, 2, 3))));
                            leftIn[0] = (System.nanoTime() - left) / 1_000_000;
                        }
                    });
        }
        System.out.printf(
                "usage-b stopped: usage-a owned all of %s %d ms later%n", topic, leftIn[0]);
        s.verify();
        System.out.printf("resumed after kill -9 and a restart with the same id: %s%n", resumed);
    }

    /** Waits until {@code topic} holds records past {@code stored} on some partition. */
    static void awaitPending(String topic, Map<Integer, Long> stored) {
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> advanced(endOffsets(topic), stored));
    }

    /**
     * Waits for {@code s} to be ready, then for its first batch committed in PostgreSQL after
     * {@code before}; answers the time from ready to that commit.
     */
    static Duration awaitFirstCommit(
            ServiceProcess s,
            String database,
            String group,
            String topic,
            Map<Integer, Long> before) {
        s.awaitReady(Duration.ofMinutes(2));
        long ready = System.nanoTime();
        // measured up to two minutes, so that a slow resumption is measured too, not only failed
        await().atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> advanced(stored(database, group, topic), before));
        Duration took = Duration.ofNanos(System.nanoTime() - ready);
        System.out.printf(
                "%s: first batch of %s committed %d ms after the restarted process was ready%n",
                s.name(), topic, took.toMillis());
        return took;
    }

    static boolean advanced(Map<Integer, Long> now, Map<Integer, Long> before) {
        return now.entrySet().stream()
                .anyMatch(e -> e.getValue() > before.getOrDefault(e.getKey(), 0L));
    }

    /** The next offsets a service stored in its database, by partition of {@code topic}. */
    static Map<Integer, Long> stored(String database, String group, String topic) throws Exception {
        Map<Integer, Long> out = new TreeMap<>();
        try (Connection c =
                        DriverManager.getConnection(
                                db.jdbcUrl(database), db.user(), db.password());
                PreparedStatement ps =
                        c.prepareStatement(
                                "select partition_no, next_offset from consumer_offset"
                                        + " where consumer_group = ? and topic = ?")) {
            ps.setString(1, group);
            ps.setString(2, topic);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getInt(1), rs.getLong(2));
                }
            }
        }
        return out;
    }

    static Admin admin() {
        return Admin.create(broker.clientProperties(KafkaSecurity.SUPER_USER));
    }

    static Map<Integer, Long> endOffsets(String topic) throws Exception {
        try (Admin a = admin()) {
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            for (var p :
                    a.describeTopics(List.of(topic))
                            .allTopicNames()
                            .get()
                            .get(topic)
                            .partitions()) {
                request.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest());
            }
            Map<Integer, Long> out = new TreeMap<>();
            a.listOffsets(request)
                    .all()
                    .get()
                    .forEach((tp, info) -> out.put(tp.partition(), info.offset()));
            return out;
        }
    }

    /** The members of {@code group}, by instance id. */
    static Set<String> members(String group) throws Exception {
        try (Admin a = admin()) {
            Set<String> out = new java.util.TreeSet<>();
            for (MemberDescription m :
                    a.describeConsumerGroups(List.of(group))
                            .describedGroups()
                            .get(group)
                            .get()
                            .members()) {
                out.add(m.groupInstanceId().orElse(m.consumerId()));
            }
            return out;
        }
    }

    /** The partitions of {@code topic} that each member of {@code group} owns, by instance id. */
    static Map<String, Set<Integer>> owners(String group, String topic) throws Exception {
        try (Admin a = admin()) {
            ConsumerGroupDescription d =
                    a.describeConsumerGroups(List.of(group)).describedGroups().get(group).get();
            Map<String, Set<Integer>> out = new TreeMap<>();
            for (MemberDescription m : d.members()) {
                Set<Integer> mine = new java.util.TreeSet<>();
                m.assignment().topicPartitions().stream()
                        .filter(tp -> tp.topic().equals(topic))
                        .forEach(tp -> mine.add(tp.partition()));
                out.put(m.groupInstanceId().orElse(m.consumerId()), mine);
            }
            return out;
        }
    }

    /**
     * A platform writing straight to Kafka in the background, 10 events every 50 ms (at most
     * 4,000), each counted in its scenario's tally once acknowledged; stopped by {@link #close()}.
     */
    static final class Flow implements AutoCloseable {
        static final int FIRST = 100_000;
        static final int MAX = 4_000;
        final Scenario scenario;
        final java.util.concurrent.ScheduledExecutorService timer =
                java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
        final java.util.concurrent.atomic.AtomicInteger next =
                new java.util.concurrent.atomic.AtomicInteger(FIRST);
        final java.util.concurrent.ScheduledFuture<?> task;

        Flow(Scenario scenario) {
            this.scenario = scenario;
            this.task = timer.scheduleAtFixedRate(this::sendTen, 0, 50, TimeUnit.MILLISECONDS);
        }

        private void sendTen() {
            int i = next.get();
            if (i >= FIRST + MAX) {
                return;
            }
            List<String> ids = new ArrayList<>();
            List<String> bodies = new ArrayList<>();
            for (int k = i; k < i + 10; k++) {
                ids.add(scenario.platform + "-" + k);
                bodies.add(scenario.event(k));
            }
            try {
                scenario.overKafka(ids, bodies);
            } catch (Exception e) {
                // a failure ends the task; close() reports it
                throw new IllegalStateException(e);
            }
            for (int k = i; k < i + 10; k++) {
                scenario.count(k);
            }
            next.set(i + 10);
        }

        @Override
        public void close() throws Exception {
            task.cancel(false);
            timer.shutdown();
            assertThat(timer.awaitTermination(4, TimeUnit.MINUTES)).isTrue();
            if (task.isDone() && !task.isCancelled()) {
                task.get(); // throws what ended it
            }
            System.out.printf(
                    "%s: %d events written in the background%n",
                    scenario.platform, next.get() - FIRST);
        }
    }

    static void assertClosedWhole() throws Exception {
        assertThat(json(settlement.url() + "/payouts/" + PERIOD, finance).get("status").asText())
                .isEqualTo("CLOSED");
        assertThat(payouts()).isEqualTo(expectedPayouts);
        // the ledger posted with the statement: one balanced entry per invoice
        JsonNode ledger = json(settlement.url() + "/ledger/" + PERIOD, finance);
        assertThat(ledger.get("items")).hasSize(expectedPayouts.size());
        // and after every scenario, the dead letters are still exactly the poison records
        assertThat(deadLetters()).isEqualTo(poison);
    }

    // ---------------------------------------------------------------- one scenario's world and
    // load

    interface Fault {
        void afterChunk(int chunk) throws Exception;
    }

    static final class Scenario {
        final String maker;
        final String platform;
        final String model;
        final String token;
        int poisonEvery;
        long events;
        BigDecimal revenue = BigDecimal.ZERO;

        private Scenario(String name, String token) {
            this.maker = "mk-" + name;
            this.platform = "pf-" + name;
            this.model = "md-" + name;
            this.token = token;
        }

        static Scenario onboard(String name) throws Exception {
            String r = registry.url();
            Http.postExpect(
                    r + "/makers",
                    "{\"id\":\"mk-" + name + "\",\"name\":\"" + name + "\"}",
                    201,
                    admin);
            Http.postExpect(
                    r + "/platforms",
                    "{\"id\":\"pf-" + name + "\",\"name\":\"" + name + "\"}",
                    201,
                    admin);
            Http.postExpect(
                    r + "/models",
                    "{\"id\":\"md-"
                            + name
                            + "\",\"makerId\":\"mk-"
                            + name
                            + "\",\"name\":\"M\","
                            + "\"license\":{\"id\":\"mit\",\"commercialUse\":true}}",
                    201,
                    admin);
            Http.postExpect(
                    r + "/agreements",
                    "{\"id\":\"ag-"
                            + name
                            + "\",\"makerId\":\"mk-"
                            + name
                            + "\",\"platformId\":\"pf-"
                            + name
                            + "\",\"currency\":\"USD\",\"validFrom\":\""
                            + PERIOD.atDay(1)
                            + "T00:00:00Z\","
                            + "\"terms\":{\"type\":\"REVENUE_SHARE\",\"rate\":\"0.2\"}}",
                    201,
                    admin);
            String key =
                    MAPPER.readTree(
                                    Http.postExpect(
                                            r + "/platforms/pf-" + name + "/api-keys",
                                            "",
                                            201,
                                            admin))
                            .get("apiKey")
                            .asText();
            Scenario s = new Scenario(name, Http.token(r, "{\"apiKey\":\"" + key + "\"}"));
            // the usage service knows the platform once the registry has published it
            await().atMost(Duration.ofSeconds(60))
                    .until(
                            () ->
                                    Http.post(usage.url() + "/usage-events", "[]", s.token).status()
                                                    == 202
                                            && !Http.post(
                                                            usage.url() + "/usage-events",
                                                            "[" + s.event(-1) + "]",
                                                            s.token)
                                                    .body()
                                                    .contains("UNKNOWN_PLATFORM"));
            s.events = 1;
            s.revenue = s.revenue(-1);
            return s;
        }

        /** Counts event {@code i} in the tally (also from a {@link Flow}'s thread). */
        synchronized void count(int i) {
            events++;
            revenue = revenue.add(revenue(i));
        }

        BigDecimal revenue(int i) {
            return new BigDecimal("0.05").multiply(BigDecimal.valueOf(1 + Math.floorMod(i, 20)));
        }

        String event(int i) {
            int day = 1 + Math.floorMod(i, 28);
            return "{\"eventId\":\""
                    + platform
                    + "-"
                    + i
                    + "\",\"platformId\":\""
                    + platform
                    + "\",\"modelRef\":\""
                    + model
                    + "\",\"occurredAt\":\""
                    + PERIOD.atDay(day)
                    + "T"
                    + String.format("%02d", Math.floorMod(i, 24))
                    + ":00:00Z\",\"customerType\":\"COMMERCIAL\","
                    + "\"units\":{\"requests\":1},\"revenue\":{\"amount\":\""
                    + revenue(i).toPlainString()
                    + "\",\"currency\":\"USD\"}}";
        }

        /** Poison record {@code n} of this scenario and the code it must be dead-lettered with. */
        String[] poison(int n) {
            String key = platform + "-poison-" + n;
            return switch (n % 3) {
                case 0 -> new String[] {key, "{\"eventId\":\"" + key + "\",", "MALFORMED_JSON"};
                case 1 ->
                        new String[] {
                            key,
                            event(n).replace("\"" + platform + "-" + n + "\"", "\"" + key + "\"")
                                    .replace("\"requests\":1", "\"requests\":-1"),
                            "NEGATIVE_UNITS"
                        };
                default ->
                        new String[] {
                            key,
                            event(n).replace("\"" + platform + "-" + n + "\"", "\"" + key + "\"")
                                    .replace(
                                            "\"platformId\":\"" + platform + "\"",
                                            "\"platformId\":\"someone-else\""),
                            "PLATFORM_MISMATCH"
                        };
            };
        }

        /**
         * Sends EVENTS events in chunks, alternately over HTTP and straight to Kafka, each chunk
         * {@code copies} times (a later copy over the other path), retrying what fails; {@code
         * fault} runs after each chunk.
         */
        void send(int copies, Fault fault) throws Exception {
            int chunks = EVENTS / CHUNK;
            for (int c = 0; c < chunks; c++) {
                List<String> ids = new ArrayList<>();
                List<String> bodies = new ArrayList<>();
                for (int i = c * CHUNK; i < (c + 1) * CHUNK; i++) {
                    ids.add(platform + "-" + i);
                    bodies.add(event(i));
                    count(i);
                }
                for (int copy = 0; copy < copies; copy++) {
                    if ((c + copy) % 2 == 0) {
                        overHttp(bodies);
                    } else {
                        overKafka(ids, bodies);
                    }
                }
                if (poisonEvery > 0) {
                    for (int i = c * CHUNK; i < (c + 1) * CHUNK; i += poisonEvery) {
                        String[] p = poison(i);
                        overKafka(List.of(p[0]), List.of(p[1]));
                        FaultInjectionIT.poison.put(p[0], p[2]);
                    }
                }
                fault.afterChunk(c);
            }
        }

        void overHttp(List<String> bodies) throws Exception {
            String body = "[" + String.join(",", bodies) + "]";
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            while (true) {
                try {
                    Http.Response r = Http.post(usage.url() + "/usage-events", body, token);
                    if (r.status() == 202) {
                        JsonNode answer = MAPPER.readTree(r.body());
                        assertThat(answer.get("rejected")).as(r.body()).isEmpty();
                        return;
                    }
                } catch (IllegalStateException e) {
                    // the service is down: retry, events are de-duplicated
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("usage-service did not accept a chunk in 3 minutes");
                }
                Thread.sleep(500);
            }
        }

        void overKafka(List<String> ids, List<String> bodies) throws Exception {
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            while (true) {
                List<Future<?>> acks = new ArrayList<>();
                for (int i = 0; i < ids.size(); i++) {
                    acks.add(
                            producer.send(
                                    new ProducerRecord<>(
                                            "usage.in." + platform, ids.get(i), bodies.get(i))));
                }
                try {
                    for (Future<?> a : acks) {
                        a.get(200, TimeUnit.SECONDS);
                    }
                    return;
                } catch (Exception e) {
                    if (System.nanoTime() > deadline) {
                        throw e;
                    }
                }
            }
        }

        /** The usage roll-ups, settlement's roll-ups and the payout equal the tally, exactly. */
        void verify() throws Exception {
            BigDecimal payout =
                    RATE.multiply(revenue).setScale(2, java.math.RoundingMode.UNNECESSARY);
            expectedPayouts.put(maker, payout);
            await().atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofMillis(250))
                    .untilAsserted(
                            () -> {
                                JsonNode items =
                                        json(
                                                        usage.url()
                                                                + "/usage/summary?groupBy=month&platformId="
                                                                + platform,
                                                        finance)
                                                .get("items");
                                long e = 0;
                                BigDecimal rev = BigDecimal.ZERO;
                                for (JsonNode i : items) {
                                    e += i.get("events").asLong();
                                    for (JsonNode r : i.get("revenue")) {
                                        rev = rev.add(new BigDecimal(r.get("amount").asText()));
                                    }
                                }
                                assertThat(e)
                                        .as("usage roll-up events of " + platform)
                                        .isEqualTo(events);
                                assertThat(rev)
                                        .as("usage roll-up revenue of " + platform)
                                        .isEqualByComparingTo(revenue);
                                Object[] rollup = settlementRollup(platform);
                                assertThat((long) rollup[0])
                                        .as("settlement roll-up events of " + platform)
                                        .isEqualTo(events);
                                assertThat((BigDecimal) rollup[1])
                                        .as("settlement roll-up revenue")
                                        .isEqualByComparingTo(revenue);
                                assertThat(payouts().get(maker))
                                        .as("payout of " + maker)
                                        .isEqualByComparingTo(payout);
                            });
        }
    }

    // ---------------------------------------------------------------- reading the results

    static JsonNode json(String url, String token) throws Exception {
        Http.Response r = Http.get(url, token);
        assertThat(r.status()).as("GET " + url + ": " + r.body()).isEqualTo(200);
        return MAPPER.readTree(r.body());
    }

    /** The payouts of PERIOD, by maker (USD). */
    static Map<String, BigDecimal> payouts() throws Exception {
        Map<String, BigDecimal> out = new TreeMap<>();
        for (JsonNode i :
                json(settlement.url() + "/payouts/" + PERIOD + "?size=1000", finance)
                        .get("items")) {
            out.put(i.get("makerId").asText(), new BigDecimal(i.get("amount").asText()));
        }
        return out;
    }

    static Object[] settlementRollup(String platform) throws Exception {
        try (Connection c =
                        DriverManager.getConnection(
                                db.jdbcUrl("settlement"), db.user(), db.password());
                PreparedStatement ps =
                        c.prepareStatement(
                                "select coalesce(sum(events), 0), coalesce(sum(revenue), 0) from usage_rollup where platform_id = ?")) {
            ps.setString(1, platform);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Object[] {rs.getLong(1), rs.getBigDecimal(2)};
            }
        }
    }

    /** Everything in usage.dlq, by key, with its error.code header. */
    static Map<String, String> deadLetters() {
        Map<String, Object> p = broker.clientProperties(KafkaSecurity.SUPER_USER);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        Map<String, String> out = new TreeMap<>();
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p)) {
            List<TopicPartition> parts =
                    c.partitionsFor("usage.dlq").stream()
                            .map(i -> new TopicPartition(i.topic(), i.partition()))
                            .toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            Map<TopicPartition, Long> seen = new HashMap<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (parts.stream().anyMatch(tp -> seen.getOrDefault(tp, 0L) < end.get(tp))
                    && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(500))) {
                    seen.put(new TopicPartition(r.topic(), r.partition()), r.offset() + 1);
                    var code = r.headers().lastHeader("error.code");
                    out.put(
                            r.key(),
                            code == null ? null : new String(code.value(), StandardCharsets.UTF_8));
                }
            }
        }
        return out;
    }
}
