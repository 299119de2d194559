package dev.fairshare.settlement.bench;

import dev.fairshare.localstack.Broker;
import dev.fairshare.localstack.Http;
import dev.fairshare.localstack.Infrastructure;
import dev.fairshare.localstack.ServiceProcess;
import dev.fairshare.localstack.Topics;
import dev.fairshare.settlement.engine.Agreement;
import dev.fairshare.settlement.engine.ModelInfo;
import dev.fairshare.settlement.engine.Parent;
import dev.fairshare.settlement.engine.PerUnit;
import dev.fairshare.settlement.engine.PoolShare;
import dev.fairshare.settlement.engine.PooledUsage;
import dev.fairshare.settlement.engine.RevenueShare;
import dev.fairshare.settlement.engine.Tier;
import dev.fairshare.settlement.engine.UsageRow;
import java.io.StringReader;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.postgresql.PGConnection;

/**
 * A whole period close through the running settlement-service (not a test): the world of {@link
 * CloseBenchmark} (1,000 agreements, 10,000 platform–model pairs, lineage up to depth 3, 600,000
 * roll-up rows of about 1.8M events) is published to the registry topics and loaded into the
 * service's roll-ups; then {@code POST /periods/2026-11/close?force=true} is timed: reading the
 * usage, rating, cascade, rounding, storing the statement, the ledger and the settled snapshot, in
 * one transaction, and answering the summary.
 *
 * <p>With the argument {@code pooled}, a tenth of the usage rows are pooled usage of 10,000
 * subscribers instead (see {@link #pooled}), every platform declares a revenue pool, and half the
 * makers take part in them through POOL_SHARE agreements.
 *
 * <p>Run: {@code settlement-service/bench/run-close-benchmark.sh [pooled]} (see
 * docs/benchmarks.md).
 */
public final class PeriodCloseBenchmark {
    private PeriodCloseBenchmark() {}

    /** Pooled mode: a tenth of the usage rows are pooled usage of this many subscribers. */
    static final int SUBSCRIBERS = 10_000;

    public static void main(String[] args) throws Exception {
        Path repo = Path.of(System.getProperty("fairshare.repo", ".")).toAbsolutePath().normalize();
        Path work = repo.resolve("settlement-service/target/bench");
        Files.createDirectories(work);
        boolean pooled = List.of(args).contains("pooled");
        CloseBenchmark.World world = CloseBenchmark.world(new Random(20261130L));
        List<PooledUsage> pooledUsage = List.of();
        if (pooled) {
            PooledWorld p = pooled(world, new Random(20261201L));
            world = p.world();
            pooledUsage = p.usage();
        }
        long events =
                world.usage().stream().mapToLong(UsageRow::events).sum()
                        + pooledUsage.stream().mapToLong(PooledUsage::events).sum();
        try (Infrastructure infra = Infrastructure.start(work.resolve("postgres"), 0)) {
            publishRegistry(infra.broker(), world);
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            try (ServiceProcess settlement =
                    ServiceProcess.start(
                            repo,
                            "settlement-service",
                            port,
                            infra.environment("settlement"),
                            work.resolve("logs"),
                            // the image's heap: half of the 2 GiB limit, all of it from the start
                            // (Dockerfile.jvm)
                            "-Xms1g",
                            "-Xmx1g",
                            "-Dquarkus.log.category.\"dev.fairshare\".level=DEBUG",
                            // BENCH_JFR=<file>: profile the service with Flight Recorder
                            System.getenv("BENCH_JFR") == null
                                    ? "-Dbench.jfr=off"
                                    : "-XX:StartFlightRecording=settings=profile,filename="
                                            + System.getenv("BENCH_JFR"))) {
                settlement.awaitReady(Duration.ofMinutes(3));
                load(infra, world);
                if (pooled) {
                    loadPooled(infra, pooledUsage);
                    declarePools(settlement.url(), pooledUsage);
                }
                System.out.printf(
                        "world: %d agreements, %d models, %d roll-up rows, %d pooled rows of %d"
                                + " subscribers, %,d events%n",
                        world.agreements().size(),
                        world.models().size(),
                        world.usage().size(),
                        pooledUsage.size(),
                        pooledUsage.stream().map(PooledUsage::subscriberId).distinct().count(),
                        events);
                // periods close in order and every month from the first agreement on is one: the
                // months before the benchmark's (no usage; guarantees only) are closed first,
                // untimed
                closeEarlierPeriods(settlement.url(), world);
                // warm-ups: the open period's estimate runs the same reads and rating as the close
                // (the dashboard's accruals ask for it all month long); BENCH_WARMUPS, default 3
                int warmups = Integer.parseInt(System.getenv().getOrDefault("BENCH_WARMUPS", "3"));
                long t0;
                for (int i = 0; i < warmups; i++) {
                    t0 = System.nanoTime();
                    Http.Response preview =
                            Http.get(
                                    settlement.url() + "/payouts/" + CloseBenchmark.PERIOD,
                                    dev.fairshare.localstack.Tokens.finance());
                    System.out.printf(
                            "open-period estimate (GET /payouts): %d ms, HTTP %d%n",
                            (System.nanoTime() - t0) / 1_000_000, preview.status());
                }
                int logLines =
                        Files.readAllLines(work.resolve("logs/settlement-service.log")).size();
                t0 = System.nanoTime();
                Http.Response closed =
                        Http.post(
                                settlement.url()
                                        + "/periods/"
                                        + CloseBenchmark.PERIOD
                                        + "/close?force=true",
                                "",
                                dev.fairshare.localstack.Tokens.finance());
                long ms = (System.nanoTime() - t0) / 1_000_000;
                String lines = closed.body().replaceAll("(?s).*\"lines\":(\\d+).*", "$1");
                System.out.printf(
                        "CLOSE: HTTP %d in %d ms, %s statement lines%n",
                        closed.status(), ms, lines);
                // where the time went, as the service logged it
                List<String> log = Files.readAllLines(work.resolve("logs/settlement-service.log"));
                for (String line : log.subList(logLines, log.size())) {
                    if (line.contains("roll-up rows")
                            || line.contains("lines copied")
                            || line.contains("lines copied,")
                            || line.contains("rated in")
                            || line.contains("closed " + CloseBenchmark.PERIOD)) {
                        System.out.println("  service: " + line.substring(line.indexOf(')') + 2));
                    }
                }
            }
        }
    }

    /** The world with a tenth of its usage rows pooled, and that pooled usage. */
    record PooledWorld(CloseBenchmark.World world, List<PooledUsage> usage) {}

    /**
     * Pooled mode: every tenth usage row becomes pooled usage of one of {@link #SUBSCRIBERS}
     * subscribers (summed per period, platform, model, subscriber and customer type, as settlement
     * keeps it), and every other maker gets a POOL_SHARE agreement for all its models on each
     * platform where it has agreements (the other makers' pool shares are unpaid).
     */
    static PooledWorld pooled(CloseBenchmark.World world, Random random) {
        List<UsageRow> rated = new java.util.ArrayList<>();
        Map<List<Object>, PooledUsage> pooled = new java.util.LinkedHashMap<>();
        for (int i = 0; i < world.usage().size(); i++) {
            UsageRow r = world.usage().get(i);
            if (i % 10 != 0) {
                rated.add(r);
                continue;
            }
            String subscriber = "sub-" + random.nextInt(SUBSCRIBERS);
            PooledUsage u =
                    new PooledUsage(
                            r.platformId(),
                            r.modelId(),
                            subscriber,
                            CloseBenchmark.PERIOD,
                            r.customerType(),
                            r.events(),
                            r.units());
            pooled.merge(
                    List.of(r.platformId(), r.modelId(), subscriber, r.customerType()),
                    u,
                    (a, b) -> dev.fairshare.settlement.store.RollupStore.add(a, b, 1));
        }
        List<Agreement> agreements = new java.util.ArrayList<>(world.agreements());
        java.util.Set<List<String>> parties =
                new java.util.TreeSet<>(
                        java.util.Comparator.comparing((List<String> l) -> l.get(0))
                                .thenComparing(l -> l.get(1)));
        for (Agreement a : world.agreements()) {
            int maker = Integer.parseInt(a.makerId().substring("maker-".length()));
            if (maker % 2 == 0) {
                parties.add(List.of(a.makerId(), a.platformId()));
            }
        }
        for (List<String> party : parties) {
            agreements.add(
                    new Agreement(
                            "pool-" + party.get(0) + "-" + party.get(1),
                            party.get(0),
                            party.get(1),
                            null,
                            "USD",
                            CloseBenchmark.PERIOD.atDay(1),
                            null,
                            new PoolShare(),
                            null));
        }
        return new PooledWorld(
                new CloseBenchmark.World(world.models(), agreements, rated),
                List.copyOf(pooled.values()));
    }

    static void loadPooled(Infrastructure infra, List<PooledUsage> usage) throws Exception {
        StringBuilder tsv = new StringBuilder();
        for (PooledUsage u : usage) {
            tsv.append(
                            String.join(
                                    "\t",
                                    u.period().toString(),
                                    u.platformId(),
                                    u.modelId(),
                                    u.subscriberId(),
                                    u.customerType().name(),
                                    "USD",
                                    Long.toString(u.events()),
                                    units(u.units())))
                    .append('\n');
        }
        try (Connection c =
                        DriverManager.getConnection(
                                infra.database().jdbcUrl("settlement"),
                                infra.database().user(),
                                infra.database().password());
                var s = c.createStatement()) {
            c.unwrap(PGConnection.class)
                    .getCopyAPI()
                    .copyIn(
                            "copy pooled_usage (period, platform_id, model_id, subscriber_id, customer_type, currency, events, units) from stdin",
                            new StringReader(tsv.toString()));
            s.execute("vacuum analyze pooled_usage");
        }
    }

    /**
     * Declares a pool for every platform with pooled usage (as ADMIN, once the replica knows the
     * platform): 10,000.00 USD, half to makers, by requests; user-centric on even platforms.
     */
    static void declarePools(String url, List<PooledUsage> usage) throws Exception {
        java.util.Set<String> platforms = new java.util.TreeSet<>();
        usage.forEach(u -> platforms.add(u.platformId()));
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        for (String platform : platforms) {
            int index = Integer.parseInt(platform.substring(platform.lastIndexOf('-') + 1));
            String body =
                    "{\"platformId\":\""
                            + platform
                            + "\",\"period\":\""
                            + CloseBenchmark.PERIOD
                            + "\",\"currency\":\"USD\",\"revenue\":\"10000.00\",\"makerShare\":\"0.5\","
                            + "\"metric\":\"requests\",\"method\":\""
                            + (index % 2 == 0 ? "USER_CENTRIC" : "PRO_RATA")
                            + "\"}";
            while (true) {
                Http.Response r =
                        Http.post(url + "/pools", body, dev.fairshare.localstack.Tokens.admin());
                if (r.status() == 201) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "declaring the pool of "
                                    + platform
                                    + ": HTTP "
                                    + r.status()
                                    + " "
                                    + r.body());
                }
                Thread.sleep(200);
            }
        }
        System.out.printf("declared %d pools%n", platforms.size());
    }

    /** Closes every month from the first agreement's to the one before the benchmark's. */
    static void closeEarlierPeriods(String url, CloseBenchmark.World world) throws Exception {
        LocalDate first =
                world.agreements().stream()
                        .map(Agreement::validFrom)
                        .min(LocalDate::compareTo)
                        .orElseThrow();
        long t0 = System.nanoTime();
        int closed = 0;
        for (YearMonth p = YearMonth.from(first);
                p.isBefore(CloseBenchmark.PERIOD);
                p = p.plusMonths(1)) {
            Http.Response r =
                    Http.post(
                            url + "/periods/" + p + "/close?force=true",
                            "",
                            dev.fairshare.localstack.Tokens.finance());
            if (r.status() != 200) {
                throw new IllegalStateException(
                        "closing " + p + ": HTTP " + r.status() + " " + r.body());
            }
            closed++;
        }
        System.out.printf(
                "closed the %d earlier periods first (untimed): %d ms%n",
                closed, (System.nanoTime() - t0) / 1_000_000);
    }

    static void publishRegistry(Broker broker, CloseBenchmark.World world) throws Exception {
        java.util.Map<String, Object> p = broker.clientProperties(Topics.REGISTRY_PRINCIPAL);
        p.put(ProducerConfig.LINGER_MS_CONFIG, "10");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            TreeSet<String> makers = new TreeSet<>();
            for (ModelInfo m : world.models().values()) {
                makers.add(m.makerId());
                String parents =
                        m.parents().stream()
                                .map(
                                        (Parent x) ->
                                                "{\"modelId\":\""
                                                        + x.modelId()
                                                        + "\",\"royaltyShare\":\""
                                                        + x.royaltyShare().toPlainString()
                                                        + "\"}")
                                .collect(Collectors.joining(","));
                producer.send(
                        new ProducerRecord<>(
                                "registry.models",
                                m.id(),
                                "{\"id\":\""
                                        + m.id()
                                        + "\",\"makerId\":\""
                                        + m.makerId()
                                        + "\",\"name\":\"M\",\"license\":{\"id\":\"x\",\"commercialUse\":"
                                        + m.commercialUse()
                                        + "},\"parents\":["
                                        + parents
                                        + "],\"aliases\":[]}"));
            }
            for (String maker : makers) {
                producer.send(
                        new ProducerRecord<>(
                                "registry.makers",
                                maker,
                                "{\"id\":\"" + maker + "\",\"name\":\"" + maker + "\"}"));
            }
            for (Agreement a : world.agreements()) {
                producer.send(
                        new ProducerRecord<>("registry.agreements", a.id(), agreementJson(a)));
            }
            for (String platform :
                    world.agreements().stream()
                            .map(Agreement::platformId)
                            .collect(Collectors.toCollection(TreeSet::new))) {
                producer.send(
                        new ProducerRecord<>(
                                "registry.platforms",
                                platform,
                                "{\"id\":\"" + platform + "\",\"name\":\"" + platform + "\"}"));
            }
        }
    }

    static String agreementJson(Agreement a) {
        String terms;
        if (a.terms() instanceof PoolShare) {
            terms = "{\"type\":\"POOL_SHARE\"}";
        } else if (a.terms() instanceof RevenueShare r) {
            terms = "{\"type\":\"REVENUE_SHARE\",\"rate\":\"" + r.rate().toPlainString() + "\"}";
        } else {
            PerUnit u = (PerUnit) a.terms();
            terms =
                    "{\"type\":\"PER_UNIT\",\"metric\":\""
                            + u.metric()
                            + "\",\"unitSize\":\""
                            + u.unitSize().toPlainString()
                            + "\",\"tiers\":["
                            + u.tiers().stream()
                                    .map(
                                            (Tier t) ->
                                                    "{\"upTo\":"
                                                            + (t.upTo() == null
                                                                    ? "null"
                                                                    : "\""
                                                                            + t.upTo()
                                                                                    .toPlainString()
                                                                            + "\"")
                                                            + ",\"price\":\""
                                                            + t.price().toPlainString()
                                                            + "\"}")
                                    .collect(Collectors.joining(","))
                            + "]}";
        }
        return "{\"id\":\""
                + a.id()
                + "\",\"makerId\":\""
                + a.makerId()
                + "\",\"platformId\":\""
                + a.platformId()
                + "\",\"modelId\":"
                + (a.modelId() == null ? "null" : "\"" + a.modelId() + "\"")
                + ",\"currency\":\""
                + a.currency()
                + "\",\"validFrom\":\""
                + day(a.validFrom())
                + "\",\"validTo\":"
                + (a.validTo() == null ? "null" : "\"" + day(a.validTo()) + "\"")
                + ",\"terms\":"
                + terms
                + ",\"minimumGuarantee\":"
                + (a.minimumGuarantee() == null
                        ? "null"
                        : "\"" + a.minimumGuarantee().toPlainString() + "\"")
                + "}";
    }

    static String day(LocalDate d) {
        return d + "T00:00:00Z";
    }

    static void load(Infrastructure infra, CloseBenchmark.World world) throws Exception {
        StringBuilder tsv = new StringBuilder();
        for (UsageRow r : world.usage()) {
            tsv.append(r.platformId())
                    .append('\t')
                    .append(r.modelId())
                    .append('\t')
                    .append(r.day())
                    .append('\t')
                    .append(r.customerType())
                    .append('\t')
                    .append(r.currency())
                    .append('\t')
                    .append(r.events())
                    .append('\t')
                    .append(r.revenue().toPlainString())
                    .append('\t')
                    .append(units(r.units()))
                    .append('\n');
        }
        try (Connection c =
                DriverManager.getConnection(
                        infra.database().jdbcUrl("settlement"),
                        infra.database().user(),
                        infra.database().password())) {
            c.unwrap(PGConnection.class)
                    .getCopyAPI()
                    .copyIn(
                            "copy usage_rollup (platform_id, model_id, day, customer_type, currency, events, revenue, units) from stdin",
                            new StringReader(tsv.toString()));
            // what the consumer writes beside each day row
            try (var s = c.createStatement()) {
                s.execute(
                        "insert into usage_rollup_month (period, platform_id, model_id, customer_type, currency, events, revenue, units)"
                                + " select to_char(day, 'YYYY-MM'), platform_id, model_id, customer_type, currency, sum(events),"
                                + " sum(revenue), sum_units(units) from usage_rollup group by 1, 2, 3, 4, 5");
            }
        }
        // a month of usage arrives over a month: by the close, autovacuum has long analysed it
        try (Connection c =
                        DriverManager.getConnection(
                                infra.database().jdbcUrl("settlement"),
                                infra.database().user(),
                                infra.database().password());
                var s = c.createStatement()) {
            s.execute("vacuum analyze");
        }
    }

    static String units(Map<String, BigDecimal> units) {
        return units.entrySet().stream()
                .map(e -> "\"" + e.getKey() + "\": " + e.getValue().toPlainString())
                .collect(Collectors.joining(", ", "{", "}"));
    }
}
