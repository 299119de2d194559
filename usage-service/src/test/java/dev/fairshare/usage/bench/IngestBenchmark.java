package dev.fairshare.usage.bench;

import dev.fairshare.localstack.Broker;
import dev.fairshare.localstack.Infrastructure;
import dev.fairshare.localstack.KafkaSecurity;
import dev.fairshare.localstack.Poster;
import dev.fairshare.localstack.ServiceProcess;
import dev.fairshare.localstack.Topics;
import java.io.StringReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.postgresql.PGConnection;

/**
 * The ingestion benchmark (not a test): loads N realistic events into the inbound topics, then
 * measures on this machine, broker and PostgreSQL on the same box:
 *
 * <ol>
 *   <li>the broker's raw consume rate (a bare consumer that only counts);
 *   <li>PostgreSQL's COPY rate of the same rows into a table shaped like {@code usage_event};
 *   <li>usage-service end to end: from its first committed batch until every event is committed in
 *       the roll-ups (from {@code received_at}), and its peak RSS;
 *   <li>HTTP ingestion with batches of 1,000 events, while the service stores them alongside;
 *   <li>the same with an HTTP edge alone ({@code usage.consumer-enabled=false}), after which an
 *       instance that stores must find every event accepted over HTTP.
 * </ol>
 *
 * Run: {@code usage-service/bench/run-ingest-benchmark.sh [events]} (see docs/benchmarks.md).
 */
public final class IngestBenchmark {
    static final int PLATFORMS = 4;
    static final int MODELS = 50;

    public static void main(String[] args) throws Exception {
        long n = args.length > 0 ? Long.parseLong(args[0]) : 2_000_000L;
        long httpEvents = args.length > 1 ? Long.parseLong(args[1]) : 200_000L;
        Path repo = Path.of(System.getProperty("fairshare.repo", ".")).toAbsolutePath().normalize();
        Path work = repo.resolve("usage-service/target/bench");
        Files.createDirectories(work);
        try (Infrastructure infra = Infrastructure.start(work.resolve("postgres"), 0)) {
            Broker kafka = infra.broker();
            createTopics(kafka);
            registry(kafka);

            load(kafka, n);

            java.util.Map<String, Long> consumeCpu = measureRawConsume(kafka, n);
            double copy = copyRate(infra, n);
            System.out.printf("LIMIT PostgreSQL COPY of the same rows: %,.0f rows/s%n", copy);

            statementStatistics(infra);
            int port = freePort();
            List<String> jvm = serviceJvmOptions();
            measureKafkaThenHttp(repo, work, infra, port, jvm, n, httpEvents, copy);
            // the HTTP edge alone (usage.consumer-enabled=false): what it accepts when it does
            // not share the cores with a consumer storing alongside; then an instance that stores
            // must find every event accepted over HTTP
            long first = warmUp(httpEvents) + httpEvents;
            // one Flight Recorder profile, of the first instance
            String[] later =
                    jvm.stream()
                            .filter(o -> !o.startsWith("-XX:StartFlightRecording"))
                            .toArray(String[]::new);
            measureEdgeAlone(repo, work, infra, later, first, httpEvents);
            long sent = first + warmUp(httpEvents) + httpEvents;
            checkEveryHttpEventStored(repo, work, infra, later, sent);
            printCeiling(infra, n, consumeCpu);
        }
    }

    /** One inbound topic per benchmark platform, and one more for the HTTP phases. */
    private static void createTopics(Broker kafka) throws Exception {
        List<NewTopic> topics = new ArrayList<>();
        for (int p = 0; p < PLATFORMS + 1; p++) {
            topics.add(
                    new NewTopic(Topics.usageIn("bench-" + p), Topics.USAGE_PARTITIONS, (short) 1));
        }
        Topics.create(kafka.clientProperties(KafkaSecurity.SUPER_USER), topics);
    }

    /** The n events into the inbound topics, timed. */
    private static void load(Broker kafka, long n) throws Exception {
        long t0 = System.nanoTime();
        long bytes = produce(kafka, n);
        System.out.printf("loaded %,d events (%,d MB) in %.1f s%n", n, bytes >> 20, secs(t0));
    }

    /** The broker's raw consume rate; answers the CPU it cost. */
    private static java.util.Map<String, Long> measureRawConsume(Broker kafka, long n)
            throws Exception {
        java.util.Map<String, Long> consumeBefore = cpuTicks(-1);
        double consume = consumeRate(kafka, n);
        java.util.Map<String, Long> consumeCpu = minus(cpuTicks(-1), consumeBefore);
        System.out.printf("LIMIT broker raw consume: %,.0f events/s%n", consume);
        printCpu("the raw consume", consumeCpu, n);
        return consumeCpu;
    }

    /** BENCH_JVM and BENCH_JFR from the environment, and the store's and consumer's DEBUG logs. */
    private static List<String> serviceJvmOptions() {
        List<String> jvm = new ArrayList<>();
        // BENCH_JVM="<options>": more JVM options for the service (GC, heap, compiler)
        for (String option : System.getenv().getOrDefault("BENCH_JVM", "").split("\\s+")) {
            if (!option.isBlank()) {
                jvm.add(option);
            }
        }
        jvm.add("-Dquarkus.log.category.\"dev.fairshare.usage.store\".level=DEBUG");
        jvm.add("-Dquarkus.log.category.\"dev.fairshare.usage.kafka\".level=DEBUG");
        if (System.getenv("BENCH_JFR") != null) {
            // BENCH_JFR=<file>: profile the service with Flight Recorder
            jvm.add(
                    "-XX:StartFlightRecording=settings=profile,filename="
                            + System.getenv("BENCH_JFR"));
        }
        return jvm;
    }

    /** usage-service end to end from the loaded topics, then HTTP while it stores alongside. */
    private static void measureKafkaThenHttp(
            Path repo,
            Path work,
            Infrastructure infra,
            int port,
            List<String> jvm,
            long n,
            long httpEvents,
            double copy)
            throws Exception {
        try (ServiceProcess usage =
                ServiceProcess.start(
                        repo,
                        "usage-service",
                        port,
                        infra.environment("usage"),
                        work.resolve("logs"),
                        jvm.toArray(String[]::new))) {
            usage.awaitReady(Duration.ofMinutes(2));
            long pid = usage.process().pid();
            try (Connection c = usageDatabase(infra)) {
                measureKafkaPhase(c, pid, n, copy);
                measureHttpAlongside(usage, pid, httpEvents);
            }
        }
    }

    /** From the service's first committed batch until every loaded event is committed. */
    private static void measureKafkaPhase(Connection c, long pid, long n, double copy)
            throws Exception {
        long seen = 0;
        java.util.Map<String, Long> cpuBefore = cpuTicks(pid);
        long deadline = System.nanoTime() + Duration.ofMinutes(20).toNanos();
        while (seen < n && System.nanoTime() < deadline) {
            Thread.sleep(500);
            // the committed positions: a few rows, unlike counting the events
            seen =
                    scalar(
                            c,
                            "select coalesce(sum(next_offset), 0) from consumer_offset where topic like 'usage.in.bench-%' and topic <> 'usage.in.bench-"
                                    + PLATFORMS
                                    + "'");
        }
        java.util.Map<String, Long> cpuAfter = cpuTicks(pid);
        double span =
                scalarDouble(
                        c,
                        "select extract(epoch from max(received_at) - min(received_at)) from usage_event where platform_id <> 'bench-"
                                + PLATFORMS
                                + "'");
        long stored =
                scalar(
                        c,
                        "select count(*) from usage_event where platform_id <> 'bench-"
                                + PLATFORMS
                                + "'");
        System.out.printf(
                "END TO END: %,d events committed in %.1f s = %,.0f events/s (%.0f%% of the COPY limit)%n",
                stored, span, stored / span, 100 * (stored / span) / copy);
        printCpu("the Kafka phase", cpuBefore, cpuAfter, stored);
        printStatements(c);
        System.out.printf("usage-service peak RSS after Kafka ingestion: %d MB%n", peakRssMb(pid));
    }

    /** HTTP ingestion while the service stores the events alongside, after a warm-up. */
    private static void measureHttpAlongside(ServiceProcess usage, long pid, long httpEvents)
            throws Exception {
        // a warm-up, not counted: the JIT of both sides' HTTP code and the edge's
        // first Kafka batches
        long warmUp = warmUp(httpEvents);
        httpRate(usage.url(), 0, warmUp);
        java.util.Map<String, Long> httpBefore = cpuTicks(pid);
        double http = httpRate(usage.url(), warmUp, httpEvents);
        printCpu("the HTTP phase", httpBefore, cpuTicks(pid), httpEvents);
        System.out.printf("HTTP: %,.0f events/s accepted (batches of 1,000, 4 clients)%n", http);
        System.out.printf("usage-service peak RSS: %d MB%n", peakRssMb(pid));
    }

    /** HTTP ingestion with an edge that does not store ({@code usage.consumer-enabled=false}). */
    private static void measureEdgeAlone(
            Path repo, Path work, Infrastructure infra, String[] later, long first, long httpEvents)
            throws Exception {
        java.util.Map<String, String> edgeEnv = new java.util.HashMap<>(infra.environment("usage"));
        edgeEnv.put("USAGE_CONSUMER_ENABLED", "false");
        try (ServiceProcess edge =
                ServiceProcess.start(
                        repo, "usage-service", freePort(), edgeEnv, work.resolve("logs"), later)) {
            edge.awaitReady(Duration.ofMinutes(2));
            long pid = edge.process().pid();
            httpRate(edge.url(), first, warmUp(httpEvents));
            java.util.Map<String, Long> before = cpuTicks(pid);
            double http = httpRate(edge.url(), first + warmUp(httpEvents), httpEvents);
            printCpu("the HTTP phase of the edge alone", before, cpuTicks(pid), httpEvents);
            System.out.printf(
                    "HTTP, the edge alone: %,.0f events/s accepted (batches of 1,000, 4 clients); peak RSS %d MB%n",
                    http, peakRssMb(pid));
        }
    }

    /** An instance that stores must find every event accepted over HTTP in all three phases. */
    private static void checkEveryHttpEventStored(
            Path repo, Path work, Infrastructure infra, String[] later, long sent)
            throws Exception {
        try (ServiceProcess usage =
                        ServiceProcess.start(
                                repo,
                                "usage-service",
                                freePort(),
                                infra.environment("usage"),
                                work.resolve("logs"),
                                later);
                Connection c = usageDatabase(infra)) {
            usage.awaitReady(Duration.ofMinutes(2));
            String count =
                    "select count(*) from usage_event where platform_id = 'bench-"
                            + PLATFORMS
                            + "'";
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            long stored = 0;
            while ((stored = scalar(c, count)) < sent && System.nanoTime() < deadline) {
                Thread.sleep(500);
            }
            Thread.sleep(2_000);
            stored = scalar(c, count);
            System.out.printf(
                    "HTTP events accepted in all three phases: %,d; stored: %,d%s%n",
                    sent, stored, stored == sent ? "" : "  <-- MISMATCH");
        }
    }

    /**
     * What end to end could reach if the service cost no CPU: PostgreSQL's and the broker's share.
     */
    private static void printCeiling(
            Infrastructure infra, long n, java.util.Map<String, Long> consumeCpu) throws Exception {
        // the floor: what storing each event costs PostgreSQL whatever the service does
        double floor = storageFloor(infra, n);
        double broker = consumeCpu.getOrDefault(THIS_JVM, 0L) * 10_000.0 / n;
        System.out.printf(
                "CEILING end to end on 2 cores with a service that cost no CPU at all:"
                        + " 2 s / (%.1f µs PostgreSQL storing + %.1f µs broker and bare consumer) = %,.0f events/s%n",
                floor, broker, 2e6 / (floor + broker));
    }

    /** Events posted before a measured HTTP phase, not counted (the JIT of both sides). */
    static long warmUp(long httpEvents) {
        return Math.max(1_000, httpEvents / 10 / 1_000 * 1_000);
    }

    static void registry(Broker broker) throws Exception {
        try (KafkaProducer<byte[], byte[]> p = producer(broker, Topics.REGISTRY_PRINCIPAL)) {
            for (int pl = 0; pl <= PLATFORMS; pl++) {
                p.send(
                        record(
                                "registry.platforms",
                                "bench-" + pl,
                                "{\"id\":\"bench-" + pl + "\",\"name\":\"Bench\"}"));
            }
            for (int m = 0; m < MODELS; m++) {
                p.send(
                        record(
                                "registry.models",
                                "model-" + m,
                                "{\"id\":\"model-"
                                        + m
                                        + "\",\"makerId\":\"maker\",\"name\":\"M\","
                                        + "\"license\":{\"id\":\"mit\",\"commercialUse\":true},\"parents\":[],"
                                        + "\"aliases\":[{\"ref\":\"org/model-"
                                        + m
                                        + "\",\"platformId\":null,\"validFrom\":\"1970-01-01T00:00:00Z\"}]}"));
            }
        }
    }

    static ProducerRecord<byte[], byte[]> record(String topic, String key, String value) {
        return new ProducerRecord<>(
                topic,
                key.getBytes(StandardCharsets.UTF_8),
                value.getBytes(StandardCharsets.UTF_8));
    }

    /** A producer as {@code principal}: the registry's records as the registry, events as usage. */
    static KafkaProducer<byte[], byte[]> producer(Broker broker, String principal) {
        java.util.Map<String, Object> p = broker.clientProperties(principal);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return new KafkaProducer<>(p);
    }

    /** Distinct subscribers of the pooled events. */
    static final int SUBSCRIBERS = 10_000;

    /**
     * Whether the {@code i}th event is pooled usage (one in ten): a subscriber of a subscription
     * platform, revenue 0 (DESIGN.md "Revenue pools").
     */
    static boolean pooled(long i) {
        return i % 10 == 5;
    }

    /** One of {@link #SUBSCRIBERS} pseudonyms: 16 hex digits, as a platform's hash might be. */
    static String subscriber(Random r) {
        return String.format("%016x", (r.nextInt(SUBSCRIBERS) + 1) * 0x9E3779B97F4A7C15L);
    }

    /**
     * A realistic event: ~330 bytes, one of 50 models, a day of the last month, sometimes a
     * pipeline, one in ten pooled (a subscriber, revenue 0).
     */
    static String event(Random r, String platform, long i, Instant base) {
        String id = platform + "-" + i;
        Instant at = base.minusSeconds(r.nextInt(28 * 86_400));
        String ref = "org/model-" + r.nextInt(MODELS);
        String components =
                i % 10 == 0
                        ? ",\"components\":[{\"modelRef\":\"org/model-"
                                + r.nextInt(MODELS)
                                + "\",\"weight\":\"0.3\"},{\"modelRef\":\""
                                + ref
                                + "\",\"weight\":\"0.7\"}]"
                        : "";
        return "{\"eventId\":\""
                + id
                + "\",\"platformId\":\""
                + platform
                + "\",\"modelRef\":\""
                + ref
                + "\",\"occurredAt\":\""
                + at
                + "\",\"customerType\":\""
                + (i % 3 == 0 ? "NON_COMMERCIAL" : "COMMERCIAL")
                + "\",\"units\":{\"requests\":1,\"input_tokens\":"
                + r.nextInt(2000)
                + ",\"output_tokens\":"
                + r.nextInt(4000)
                + ",\"gpu_seconds\":0."
                + r.nextInt(1000)
                + "},\"revenue\":{\"amount\":\""
                + (pooled(i) ? "0" : String.format("0.%04d", r.nextInt(10_000)))
                + "\",\"currency\":\"USD\"}"
                + (pooled(i) ? ",\"subscriberId\":\"" + subscriber(r) + "\"" : "")
                + components
                + "}";
    }

    static long produce(Broker broker, long n) throws Exception {
        Random r = new Random(7);
        Instant base = Instant.now().truncatedTo(ChronoUnit.HOURS);
        long bytes = 0;
        try (KafkaProducer<byte[], byte[]> p = producer(broker, Topics.USAGE_PRINCIPAL)) {
            for (long i = 0; i < n; i++) {
                String platform = "bench-" + (i % PLATFORMS);
                byte[] value = event(r, platform, i, base).getBytes(StandardCharsets.UTF_8);
                bytes += value.length;
                p.send(
                        new ProducerRecord<>(
                                Topics.usageIn(platform),
                                (platform + "-" + i).getBytes(StandardCharsets.UTF_8),
                                value));
            }
        }
        return bytes;
    }

    static double consumeRate(Broker broker, long n) {
        java.util.Map<String, Object> p = broker.clientProperties(Topics.USAGE_PRINCIPAL);
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, Integer.toString(64 << 20));
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(8 << 20));
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
            List<TopicPartition> tps = new ArrayList<>();
            for (int pl = 0; pl < PLATFORMS; pl++) {
                for (int part = 0; part < Topics.USAGE_PARTITIONS; part++) {
                    tps.add(new TopicPartition(Topics.usageIn("bench-" + pl), part));
                }
            }
            c.assign(tps);
            c.seekToBeginning(tps);
            long seen = 0;
            long t0 = System.nanoTime();
            while (seen < n) {
                seen += c.poll(Duration.ofMillis(500)).count();
            }
            return seen / secs(t0);
        }
    }

    /**
     * The storage every event needs, whatever the service does: its key in a copy of {@code
     * event_key} (the de-duplication key, kept forever) and its row in a copy of {@code
     * usage_event} (partitioned by month, with its indexes), each batch of 6,000 rows in key order
     * by two COPYs and a commit, as a writer does with the fewest statements. Prints and answers
     * PostgreSQL's CPU an event (its backend, from /proc).
     */
    static double storageFloor(Infrastructure infra, long n) throws Exception {
        Random r = new Random(7);
        Instant base = Instant.now().truncatedTo(ChronoUnit.HOURS);
        long rows = Math.min(n, 1_000_000);
        int batch = 6_000;
        try (Connection c = usageDatabase(infra);
                Statement s = c.createStatement()) {
            s.execute(
                    "create schema if not exists bench; drop table if exists bench.floor_key, bench.floor_event;"
                            + " create table bench.floor_key (like public.event_key including all);"
                            + " create table bench.floor_event (like public.usage_event including all) partition by range (occurred_at)");
            java.time.YearMonth last =
                    java.time.YearMonth.from(base.atZone(java.time.ZoneOffset.UTC));
            for (java.time.YearMonth m = last.minusMonths(2);
                    !m.isAfter(last);
                    m = m.plusMonths(1)) {
                s.execute(
                        String.format(
                                "create table bench.floor_event_%d_%02d partition of bench.floor_event"
                                        + " for values from ('%s-01T00:00:00Z') to ('%s-01T00:00:00Z')",
                                m.getYear(), m.getMonthValue(), m, m.plusMonths(1)));
            }
            c.setAutoCommit(false);
            var copyApi = c.unwrap(PGConnection.class).getCopyAPI();
            String received = base.toString();
            long pgTicks = 0;
            long t0 = System.nanoTime();
            for (long from = 0; from < rows; from += batch) {
                List<String[]> chunk = new ArrayList<>();
                for (long i = from; i < Math.min(rows, from + batch); i++) {
                    String platform = "bench-" + (i % PLATFORMS);
                    int model = r.nextInt(MODELS);
                    chunk.add(
                            new String[] {
                                platform,
                                platform + "-" + i,
                                base.minusSeconds(r.nextInt(28 * 86_400)).toString(),
                                "org/model-" + model,
                                i % 3 == 0 ? "NON_COMMERCIAL" : "COMMERCIAL",
                                pooled(i) ? "0" : String.format("0.%04d", r.nextInt(10_000)),
                                "{\"requests\":1,\"input_tokens\":"
                                        + r.nextInt(2000)
                                        + ",\"output_tokens\":"
                                        + r.nextInt(4000)
                                        + ",\"gpu_seconds\":0."
                                        + r.nextInt(1000)
                                        + "}",
                                "[{\"modelId\":\"model-" + model + "\",\"weight\":\"1\"}]",
                                "usage.in." + platform + "/" + (i % 4) + "/" + i,
                                pooled(i) ? subscriber(r) : "\\N"
                            });
                }
                chunk.sort(
                        java.util.Comparator.<String[], String>comparing(a -> a[0])
                                .thenComparing(a -> a[1]));
                String batchId = java.util.UUID.randomUUID().toString();
                StringBuilder keys = new StringBuilder();
                StringBuilder events = new StringBuilder();
                for (String[] e : chunk) {
                    keys.append(e[0])
                            .append('\t')
                            .append(e[1])
                            .append('\t')
                            .append(e[2])
                            .append('\n');
                    events.append(e[0]).append('\t').append(e[1]).append('\t').append(e[2]);
                    events.append('\t').append(e[3]).append('\t').append(e[4]).append("\tUSD\t");
                    events.append(e[5]).append('\t').append(e[6]).append("\t\\N\t").append(e[7]);
                    events.append('\t').append(e[9]);
                    events.append('\t').append(received).append('\t').append(batchId);
                    events.append('\t').append(e[8]).append('\t').append(received).append('\n');
                }
                java.util.Map<String, Long> before = cpuTicks(-1);
                copyApi.copyIn(
                        "copy bench.floor_key (platform_id, event_id, occurred_at) from stdin",
                        new StringReader(keys.toString()));
                copyApi.copyIn(
                        "copy bench.floor_event (platform_id, event_id, occurred_at, model_ref, customer_type, currency,"
                                + " revenue, units, components, attribution, subscriber_id, attributed_at, batch_id, source,"
                                + " received_at) from stdin",
                        new StringReader(events.toString()));
                c.commit();
                pgTicks += minus(cpuTicks(-1), before).getOrDefault(USAGE_BACKENDS, 0L);
            }
            double perEvent = pgTicks * 10_000.0 / rows;
            System.out.printf(
                    "FLOOR PostgreSQL storing each event's key and row (copies of event_key and usage_event,"
                            + " batches of %,d by COPY): %,.0f rows/s, %.1f µs of its CPU an event%n",
                    batch, rows / secs(t0), perEvent);
            return perEvent;
        }
    }

    static double copyRate(Infrastructure infra, long n) throws Exception {
        Random r = new Random(7);
        Instant base = Instant.now().truncatedTo(ChronoUnit.HOURS);
        try (Connection c = usageDatabase(infra);
                Statement s = c.createStatement()) {
            s.execute(
                    "create schema if not exists bench; create table if not exists bench.copy_bench (platform_id text, event_id text, occurred_at timestamptz, model_ref text,"
                            + " customer_type text, currency char(3), revenue numeric(38,18), units jsonb, source text, received_at timestamptz)");
            s.execute("truncate bench.copy_bench");
            StringBuilder csv = new StringBuilder();
            long rows = Math.min(n, 1_000_000);
            for (long i = 0; i < rows; i++) {
                csv.append("bench-0\te-")
                        .append(i)
                        .append('\t')
                        .append(base.minusSeconds(r.nextInt(28 * 86_400)))
                        .append("\torg/model-")
                        .append(r.nextInt(MODELS))
                        .append("\tCOMMERCIAL\tUSD\t0.")
                        .append(String.format("%04d", r.nextInt(10_000)))
                        .append("\t{\"requests\": 1, \"input_tokens\": ")
                        .append(r.nextInt(2000))
                        .append(", \"output_tokens\": ")
                        .append(r.nextInt(4000))
                        .append(", \"gpu_seconds\": 0.")
                        .append(r.nextInt(1000))
                        .append("}\tusage.in.bench-0/0/")
                        .append(i)
                        .append("\t2026-11-25T00:00:00Z\n");
            }
            java.util.Map<String, Long> before = cpuTicks(-1);
            long t0 = System.nanoTime();
            c.unwrap(PGConnection.class)
                    .getCopyAPI()
                    .copyIn("copy bench.copy_bench from stdin", new StringReader(csv.toString()));
            double rate = rows / secs(t0);
            printCpu("the COPY", minus(cpuTicks(-1), before), rows);
            return rate;
        }
    }

    /**
     * Posts {@code events} new events (numbered from {@code first}) in batches of 1,000 from 4
     * clients, each on its own keep-alive connection; answers the accepted events a second. The
     * bodies are built before the clock starts.
     */
    static double httpRate(String url, long first, long events) throws Exception {
        Random r = new Random(11 + first);
        Instant base = Instant.now().truncatedTo(ChronoUnit.HOURS);
        String platform = "bench-" + PLATFORMS;
        List<byte[]> bodies = new ArrayList<>();
        for (long b = 0; b < events / 1000; b++) {
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < 1000; i++) {
                sb.append(i == 0 ? "" : ",").append(event(r, platform, first + b * 1000 + i, base));
            }
            bodies.add(sb.append(']').toString().getBytes(StandardCharsets.UTF_8));
        }
        String token = dev.fairshare.localstack.Tokens.platform(platform);
        int clients = 4;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        AtomicLong accepted = new AtomicLong();
        java.util.concurrent.atomic.AtomicInteger next =
                new java.util.concurrent.atomic.AtomicInteger();
        long t0 = System.nanoTime();
        List<Future<?>> done = new ArrayList<>();
        for (int k = 0; k < clients; k++) {
            done.add(
                    pool.submit(
                            () -> {
                                try (Poster poster =
                                        new Poster(
                                                java.net.URI.create(url), "/usage-events", token)) {
                                    for (int b; (b = next.getAndIncrement()) < bodies.size(); ) {
                                        String answer = poster.post(bodies.get(b));
                                        if (!answer.startsWith("202 ")) {
                                            throw new IllegalStateException("HTTP " + answer);
                                        }
                                        accepted.addAndGet(
                                                Long.parseLong(
                                                        answer.replaceAll(
                                                                "(?s).*\"accepted\":(\\d+).*",
                                                                "$1")));
                                    }
                                }
                                return null;
                            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        double rate = accepted.get() / secs(t0);
        pool.shutdown();
        return rate;
    }

    /** A connection to the usage service's database. */
    static Connection usageDatabase(Infrastructure infra) throws java.sql.SQLException {
        return DriverManager.getConnection(
                infra.database().jdbcUrl("usage"),
                infra.database().user(),
                infra.database().password());
    }

    static long scalar(Connection c, String sql) throws Exception {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static double scalarDouble(Connection c, String sql) throws Exception {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getDouble(1);
        }
    }

    /**
     * With FAIRSHARE_PG_SETTINGS=shared_preload_libraries=pg_stat_statements: the statement
     * statistics of the usage database, from the service's start.
     */
    static void statementStatistics(Infrastructure infra) throws Exception {
        try (Connection c = usageDatabase(infra);
                Statement s = c.createStatement()) {
            s.execute("create extension if not exists pg_stat_statements");
            s.execute("select pg_stat_statements_reset()");
        } catch (java.sql.SQLException notLoaded) {
            // the library is not preloaded: no statement statistics
        }
    }

    /** The usage database's statements by total execution time (wall), if collected. */
    static void printStatements(Connection c) {
        try (Statement s = c.createStatement();
                ResultSet rs =
                        s.executeQuery(
                                "select calls, rows, total_exec_time, left(regexp_replace(query, '\\s+', ' ', 'g'), 100)"
                                        + " from pg_stat_statements where dbid = (select oid from pg_database where datname = 'usage')"
                                        + " order by total_exec_time desc limit 12")) {
            System.out.println("PostgreSQL statements by total execution time (wall, ms):");
            while (rs.next()) {
                System.out.printf(
                        "  %9.0f ms %8d calls %10d rows  %s%n",
                        rs.getDouble(3), rs.getLong(1), rs.getLong(2), rs.getString(4));
            }
        } catch (java.sql.SQLException notCollected) {
            // no statement statistics
        }
    }

    static final String THIS_JVM = "broker + benchmark (this JVM)";
    static final String USAGE_BACKENDS = "postgres: backends of the usage database";

    static void printCpu(
            String phase,
            java.util.Map<String, Long> before,
            java.util.Map<String, Long> after,
            long events) {
        printCpu(phase, minus(after, before), events);
    }

    /** The ticks of each process between two readings of {@link #cpuTicks}. */
    static java.util.Map<String, Long> minus(
            java.util.Map<String, Long> after, java.util.Map<String, Long> before) {
        java.util.Map<String, Long> used = new java.util.TreeMap<>();
        after.forEach((who, ticks) -> used.put(who, ticks - before.getOrDefault(who, 0L)));
        return used;
    }

    static void printCpu(String phase, java.util.Map<String, Long> used, long events) {
        System.out.printf("CPU seconds during %s (2 cores: at most 2 s a second):%n", phase);
        used.forEach(
                (who, ticks) -> {
                    if (ticks > 0) {
                        System.out.printf(
                                "  %-40s %7.1f s = %5.1f µs an event%n",
                                who, ticks / 100.0, ticks * 10_000.0 / events);
                    }
                });
    }

    /**
     * CPU time (clock ticks, 1/100 s) of the service, this process (the broker and the benchmark)
     * and PostgreSQL's processes by role, from /proc.
     */
    static java.util.Map<String, Long> cpuTicks(long servicePid) throws Exception {
        java.util.Map<String, Long> out = new java.util.TreeMap<>();
        long self = ProcessHandle.current().pid();
        try (var procs = Files.list(Path.of("/proc"))) {
            for (Path proc : (Iterable<Path>) procs::iterator) {
                String name = proc.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                long pid = Long.parseLong(name);
                String who;
                try {
                    if (pid == servicePid) {
                        who = "usage-service";
                    } else if (pid == self) {
                        who = THIS_JVM;
                    } else if (Files.readString(proc.resolve("comm")).trim().equals("postgres")) {
                        String title =
                                new String(
                                                Files.readAllBytes(proc.resolve("cmdline")),
                                                StandardCharsets.UTF_8)
                                        .replace('\0', ' ')
                                        .trim();
                        // backends are titled "postgres: <user> <db> <host> <state>"
                        who =
                                title.startsWith("postgres: ")
                                        ? "postgres: "
                                                + (title.contains(" usage ")
                                                        ? USAGE_BACKENDS.substring(10)
                                                        : title.substring(10).replaceAll(" .*", ""))
                                        : "postgres: postmaster";
                    } else {
                        continue;
                    }
                    String stat = Files.readString(proc.resolve("stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    out.merge(who, Long.parseLong(f[11]) + Long.parseLong(f[12]), Long::sum);
                } catch (java.io.IOException | RuntimeException gone) {
                    // the process ended meanwhile
                }
            }
        }
        return out;
    }

    static long peakRssMb(long pid) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
            }
        }
        return -1;
    }

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static double secs(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    private IngestBenchmark() {}
}
