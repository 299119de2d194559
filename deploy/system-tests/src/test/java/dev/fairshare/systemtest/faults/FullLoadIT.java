package dev.fairshare.systemtest.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fairshare.localstack.Http;
import dev.fairshare.localstack.Poster;
import dev.fairshare.localstack.ServiceProcess;
import dev.fairshare.localstack.Topics;
import dev.fairshare.systemtest.faults.FaultInjectionIT.Scenario;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Faults under full load (not part of {@code ./mvnw verify}: it runs only with {@code
 * -Dfairshare.fullload=true}; see deploy/system-tests/bench/run-full-load.sh and
 * docs/reliability.md). On the stack of {@link FaultInjectionIT} (PostgreSQL, the broker process,
 * the three services as processes), four platforms send {@code fairshare.fullload.events} events
 * (1,000,000 by default; platform p sends (p + 1) tenths of them) as fast as this machine allows,
 * half in chunks over HTTP and half straight to their {@code usage.in.<platform>} topic, with 5% of
 * them sent again over the other path and 0.1% poison records; meanwhile usage-service is killed
 * with {@code kill -9} twice and the broker restarted once, while both paths are sending. Then the
 * stored events, the usage roll-ups, settlement's roll-ups, the dead letters and the closed
 * period's payouts must equal the tally the generator kept of what it sent, exactly. It prints the
 * sustained rate (distinct events a second, from the first send until all are stored) and the
 * longest ingestion pause (the longest time in which the stored events, polled every 100 ms, did
 * not grow).
 */
@EnabledIfSystemProperty(named = "fairshare.fullload", matches = "true")
@Order(1)
class FullLoadIT {
    static final long EVENTS = Long.getLong("fairshare.fullload.events", 1_000_000L);
    static final int PLATFORMS = 4;
    static final int CHUNK = 1000;

    /** Every 20th event of a chunk is sent again with the next chunk, over the other path: 5%. */
    static final int RESEND_EVERY = 20;

    static final int HTTP_SENDERS = 3;

    /** Kafka chunks sent before the oldest one's acknowledgements are awaited. */
    static final int KAFKA_WINDOW = 16;

    static final int KAFKA_LEAD = 50;

    static final Duration POLL = Duration.ofMillis(100);
    static final Map<String, String> USAGE_ID = Map.of("USAGE_GROUP_INSTANCE_ID", "usage-a");

    static KafkaProducer<byte[], byte[]> producer;
    static final List<Load> loads = new ArrayList<>();

    /** Poison records sent over HTTP, by key, with the code the edge must reject them with. */
    static final Map<String, String> httpPoison = new ConcurrentHashMap<>();

    static final AtomicLong httpRecords = new AtomicLong();
    static final AtomicLong kafkaRecords = new AtomicLong();
    static final AtomicLong httpFresh = new AtomicLong();
    static final AtomicLong kafkaFresh = new AtomicLong();
    static final AtomicLong resent = new AtomicLong();
    static final AtomicLong edgeDuplicates = new AtomicLong();

    /** HTTP requests sent again, by why: no connection, or the 503's code. */
    static final Map<String, AtomicLong> httpRetries = new ConcurrentHashMap<>();

    static final AtomicLong kafkaRetries = new AtomicLong();

    /** When each path's last chunk was acknowledged ({@link System#nanoTime()}). */
    static final AtomicLong httpDone = new AtomicLong();

    static final AtomicLong kafkaDone = new AtomicLong();

    /**
     * The Kafka path may run at most {@link #KAFKA_LEAD} chunks ahead of the HTTP path, so that
     * both paths are sending when the faults strike.
     */
    static final java.util.concurrent.Semaphore kafkaPermits =
            new java.util.concurrent.Semaphore(KAFKA_LEAD);

    static final List<String> faults = java.util.Collections.synchronizedList(new ArrayList<>());
    static long t0;

    @BeforeAll
    static void start() throws Exception {
        FaultInjectionIT.poison.clear();
        FaultInjectionIT.expectedPayouts.clear();
        FaultInjectionIT.start();
        // a static member: restarted after kill -9 with the same id, as a pod's container is
        restartUsage(false);
        producer =
                new KafkaProducer<>(
                        kafkaClient(
                                Map.of(
                                        ProducerConfig.ACKS_CONFIG, "all",
                                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true",
                                        ProducerConfig.LINGER_MS_CONFIG, "20",
                                        ProducerConfig.BATCH_SIZE_CONFIG, "262144",
                                        ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4",
                                        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "180000",
                                        ProducerConfig.MAX_BLOCK_MS_CONFIG, "180000",
                                        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                                                ByteArraySerializer.class.getName(),
                                        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                                                ByteArraySerializer.class.getName())));
    }

    /** The one place this class's Kafka clients get their connection properties. */
    static Properties kafkaClient(Map<String, String> settings) {
        // as the fault suite's producer: writes usage.in.* as usage-service's HTTP edge may
        Properties p = new Properties();
        p.putAll(FaultInjectionIT.broker.clientProperties(Topics.USAGE_PRINCIPAL));
        p.putAll(settings);
        return p;
    }

    @AfterAll
    static void stop() throws Exception {
        if (producer != null) {
            producer.close();
        }
        FaultInjectionIT.stop();
    }

    /** Stops ({@code kill -9} when {@code kill}) and restarts usage-service as {@code usage-a}. */
    static void restartUsage(boolean kill) {
        ServiceProcess usage = FaultInjectionIT.usage;
        if (kill) {
            usage.kill();
        } else {
            usage.close();
        }
        FaultInjectionIT.replace(
                        FaultInjectionIT.service(
                                "usage-service", FaultInjectionIT.port(usage), USAGE_ID))
                .awaitReady(Duration.ofMinutes(2));
    }

    @Test
    void underFullLoadWithTwoKillsAndABrokerRestartNothingIsLostOrDoubled() throws Exception {
        assertThat(EVENTS % (10L * CHUNK)).as("events: a multiple of 10,000").isZero();
        for (int p = 0; p < PLATFORMS; p++) {
            // platform p sends (p + 1) tenths of the events: each maker is owed another amount
            loads.add(new Load(Scenario.onboard("fl" + p), EVENTS * (p + 1) / 10 / CHUNK));
        }
        long expected = EVENTS + PLATFORMS; // and each platform's onboarding probe
        List<Chunk> http = new ArrayList<>();
        List<Chunk> kafka = new ArrayList<>();
        for (int c = 0; c <= loads.get(PLATFORMS - 1).chunks; c++) {
            for (Load l : loads) {
                if (c <= l.chunks) {
                    // even chunks over HTTP, odd ones to Kafka; the last resends only
                    (c % 2 == 0 ? http : kafka).add(new Chunk(l, c, c % 2 == 0));
                }
            }
        }
        Progress progress = new Progress();
        t0 = System.nanoTime();
        progress.start();
        ExecutorService senders = Executors.newFixedThreadPool(HTTP_SENDERS + 2);
        List<Future<?>> running = new ArrayList<>();
        AtomicInteger nextHttp = new AtomicInteger();
        for (int k = 0; k < HTTP_SENDERS; k++) {
            running.add(
                    senders.submit(
                            () -> {
                                HttpSender sender = new HttpSender();
                                for (int i; (i = nextHttp.getAndIncrement()) < http.size(); ) {
                                    sender.send(http.get(i));
                                }
                                sender.close();
                                return null;
                            }));
        }
        running.add(senders.submit(() -> sendOverKafka(kafka)));
        running.add(senders.submit(() -> injectFaults(progress)));
        try {
            for (Future<?> f : running) {
                f.get(30, TimeUnit.MINUTES);
            }
        } finally {
            senders.shutdownNow();
        }
        long sentAt = Math.max(httpDone.get(), kafkaDone.get());
        long tallied = loads.stream().mapToLong(l -> l.scenario.events).sum();
        assertThat(tallied).as("distinct events the generator counted").isEqualTo(expected);
        await().atMost(Duration.ofMinutes(20))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> progress.stored() >= expected);
        progress.stop();
        assertThat(progress.failedPolls.get()).as("failed polls of the stored events").isZero();
        long allStored = progress.reachedAt(expected);

        FaultInjectionIT.finance =
                Http.token(
                        FaultInjectionIT.registry.url(),
                        "{\"username\":\"finance\",\"password\":\"finance-password\"}");
        StringBuilder report = new StringBuilder();
        line(
                report,
                "events: %,d distinct (%,d platforms, and one probe each)",
                expected,
                loads.size());
        line(
                report,
                "sent over HTTP: %,d records (%,d new events); over Kafka: %,d records (%,d new events)",
                httpRecords.get(),
                httpFresh.get(),
                kafkaRecords.get(),
                kafkaFresh.get());
        line(
                report,
                "duplicates sent (same eventId, other path): %,d; reported duplicate by the HTTP edge: %,d",
                resent.get(),
                edgeDuplicates.get());
        line(
                report,
                "poison: %,d to Kafka, %,d over HTTP; sent again: HTTP requests %s, Kafka chunks %,d",
                FaultInjectionIT.poison.size(),
                httpPoison.size(),
                new TreeMap<>(httpRetries),
                kafkaRetries.get());
        faults.forEach(f -> line(report, "%s", f));
        line(
                report,
                "all sent %.1f s after the start; all stored %.1f s after it",
                secs(sentAt),
                secs(allStored));
        line(
                report,
                "SUSTAINED: %,d events stored in %.1f s = %,.0f events/s end to end",
                expected,
                secs(allStored),
                expected / secs(allStored));
        List<long[]> pauses = progress.longestPauses(allStored, 3);
        line(
                report,
                "LONGEST PAUSE: %.1f s without an event stored, from %.1f s to %.1f s",
                (pauses.get(0)[1] - pauses.get(0)[0]) / 1e9,
                secs(pauses.get(0)[0]),
                secs(pauses.get(0)[1]));
        for (long[] pause : pauses.subList(1, pauses.size())) {
            line(
                    report,
                    "next longest: %.1f s, from %.1f s to %.1f s",
                    (pause[1] - pause[0]) / 1e9,
                    secs(pause[0]),
                    secs(pause[1]));
        }
        System.out.print(report);
        Files.writeString(FaultInjectionIT.work.resolve("full-load.txt"), report);

        // the checks: every count against the generator's tally
        checkStored();
        checkUsageRollups();
        checkSettlementRollups();
        for (Load l : loads) {
            l.scenario.verify();
        }
        assertThat(dlqRecords())
                .as("records in usage.dlq: each Kafka poison record once")
                .isEqualTo(FaultInjectionIT.poison.size());
        Http.Response close =
                Http.post(
                        FaultInjectionIT.settlement.url()
                                + "/periods/"
                                + FaultInjectionIT.PERIOD
                                + "/close?force=true",
                        "",
                        FaultInjectionIT.finance);
        assertThat(close.status()).as(close.body()).isEqualTo(200);
        FaultInjectionIT.assertClosedWhole();
        Map<String, BigDecimal> payouts = new TreeMap<>();
        for (Load l : loads) {
            // 20% of the revenue, whole cents: the revenue is in 5-cent steps
            payouts.put(l.scenario.maker, BigDecimal.valueOf(l.totalCents() / 5, 2));
        }
        assertThat(FaultInjectionIT.payouts()).as("the closed period's payouts").isEqualTo(payouts);
        String checks =
                String.format(
                        "CHECKS exact: stored events and keys, usage roll-ups by day, settlement's"
                                + " roll-ups by day, usage.dlq (%d records), HTTP rejections (%d),"
                                + " %s closed with payouts %s%n",
                        dlqRecords(), httpPoison.size(), FaultInjectionIT.PERIOD, payouts);
        System.out.print(checks);
        Files.writeString(
                FaultInjectionIT.work.resolve("full-load.txt"),
                checks,
                java.nio.file.StandardOpenOption.APPEND);
    }

    // ---------------------------------------------------------------- the load

    /** One platform's share of the load and the generator's tally of it by day of the month. */
    static final class Load {
        final Scenario scenario;
        final int chunks;
        final AtomicLongArray dayEvents = new AtomicLongArray(28);
        final AtomicLongArray dayCents = new AtomicLongArray(28);

        Load(Scenario scenario, long chunks) {
            this.scenario = scenario;
            this.chunks = Math.toIntExact(chunks);
            counted(-1); // the onboarding probe, which Scenario.onboard counted
        }

        /** Event {@code i} was acknowledged: counted once, whatever path and retries it took. */
        void counted(int i) {
            if (i >= 0) {
                scenario.count(i);
            }
            int day = Math.floorMod(i, 28); // Scenario.event: day 1 + i mod 28
            dayEvents.incrementAndGet(day);
            dayCents.addAndGet(day, 5L * (1 + Math.floorMod(i, 20))); // 0.05 × (1 + i mod 20)
        }

        /** The tally by day of the period: "events cents" by ISO date. */
        Map<String, String> byDay() {
            Map<String, String> out = new TreeMap<>();
            for (int d = 0; d < 28; d++) {
                if (dayEvents.get(d) > 0) {
                    out.put(
                            FaultInjectionIT.PERIOD.atDay(d + 1).toString(),
                            dayEvents.get(d) + " " + dayCents.get(d));
                }
            }
            return out;
        }

        long totalCents() {
            long sum = 0;
            for (int d = 0; d < 28; d++) {
                sum += dayCents.get(d);
            }
            return sum;
        }
    }

    /**
     * Chunk {@code c} of a platform: its {@link #CHUNK} new events (none for the last), every 20th
     * event of the chunk before it again (sent with the other path), one poison record (none for
     * the last).
     */
    static final class Chunk {
        final Load load;
        final int c;
        final boolean overHttp;
        final List<Integer> fresh = new ArrayList<>();
        final List<Integer> again = new ArrayList<>();
        final String[] poison;

        Chunk(Load load, int c, boolean overHttp) {
            this.load = load;
            this.c = c;
            this.overHttp = overHttp;
            if (c < load.chunks) {
                for (int i = c * CHUNK; i < (c + 1) * CHUNK; i++) {
                    fresh.add(i);
                }
                // a malformed record only travels by Kafka: over HTTP it would void the request
                int n = overHttp && c % 3 == 0 ? c + 1_000_001 : c;
                poison = load.scenario.poison(n);
            } else {
                poison = null;
            }
            if (c > 0) {
                for (int i = (c - 1) * CHUNK; i < c * CHUNK; i += RESEND_EVERY) {
                    again.add(i);
                }
            }
        }

        int records() {
            return fresh.size() + again.size() + (poison == null ? 0 : 1);
        }

        String event(int i) {
            return load.scenario.event(i);
        }

        void acknowledged() {
            fresh.forEach(load::counted);
            resent.addAndGet(again.size());
            (overHttp ? httpRecords : kafkaRecords).addAndGet(records());
            (overHttp ? httpFresh : kafkaFresh).addAndGet(fresh.size());
            (overHttp ? httpDone : kafkaDone).accumulateAndGet(System.nanoTime(), Math::max);
            if (overHttp) {
                kafkaPermits.release();
            }
        }
    }

    /** Posts chunks as JSON arrays on a keep-alive connection, retrying until each is accepted. */
    static final class HttpSender {
        final Map<String, Poster> posters = new java.util.HashMap<>();

        void send(Chunk chunk) throws Exception {
            StringBuilder body = new StringBuilder("[");
            List<String> ids = new ArrayList<>();
            for (List<Integer> part : List.of(chunk.fresh, chunk.again)) {
                for (int i : part) {
                    body.append(body.length() > 1 ? "," : "").append(chunk.event(i));
                    ids.add(chunk.load.scenario.platform + "-" + i);
                }
            }
            if (chunk.poison != null) {
                body.append(body.length() > 1 ? "," : "").append(chunk.poison[1]);
            }
            byte[] bytes = body.append(']').toString().getBytes(StandardCharsets.UTF_8);
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (true) {
                String answer = null;
                try {
                    answer = connect(chunk.load.scenario).post(bytes);
                } catch (IOException e) {
                    // usage-service was killed, or is not listening yet: a new connection
                    disconnect(chunk.load.scenario);
                }
                if (answer != null && answer.startsWith("202 ")) {
                    JsonNode result = FaultInjectionIT.MAPPER.readTree(answer.substring(4));
                    checkRejected(chunk, result.get("rejected"));
                    assertThat(result.get("accepted").asLong() + result.get("duplicates").asLong())
                            .as("accepted and duplicate events of chunk %d", chunk.c)
                            .isEqualTo(ids.size());
                    edgeDuplicates.addAndGet(result.get("duplicates").asLong());
                    chunk.acknowledged();
                    return;
                }
                if (answer != null && !answer.startsWith("503 ")) {
                    throw new AssertionError("POST /usage-events answered " + answer);
                }
                // 503: starting, or the broker is away; the events are de-duplicated
                String why =
                        answer == null
                                ? "no connection"
                                : "503 "
                                        + FaultInjectionIT.MAPPER
                                                .readTree(answer.substring(4))
                                                .path("code")
                                                .asText();
                httpRetries.computeIfAbsent(why, k -> new AtomicLong()).incrementAndGet();
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("chunk " + chunk.c + " not accepted in 5 minutes");
                }
                Thread.sleep(200);
            }
        }

        /** The one rejected event is the chunk's poison record, with its code. */
        void checkRejected(Chunk chunk, JsonNode rejected) {
            if (chunk.poison == null) {
                assertThat(rejected).as("rejected events").isEmpty();
                return;
            }
            assertThat(rejected).as("rejected events of chunk %d", chunk.c).hasSize(1);
            JsonNode r = rejected.get(0);
            assertThat(r.get("eventId").asText()).isEqualTo(chunk.poison[0]);
            List<String> codes = new ArrayList<>();
            r.get("errors").forEach(e -> codes.add(e.get("code").asText()));
            assertThat(codes).contains(chunk.poison[2]);
            httpPoison.put(chunk.poison[0], chunk.poison[2]);
        }

        /** A keep-alive connection with {@code s}'s token. */
        Poster connect(Scenario s) throws IOException {
            Poster poster = posters.get(s.platform);
            if (poster == null) {
                poster =
                        new Poster(
                                URI.create(FaultInjectionIT.usage.url()), "/usage-events", s.token);
                posters.put(s.platform, poster);
            }
            return poster;
        }

        void disconnect(Scenario s) {
            Poster poster = posters.remove(s.platform);
            try {
                if (poster != null) {
                    poster.close();
                }
            } catch (IOException ignored) {
                // closing a dead connection
            }
        }

        void close() throws IOException {
            for (Poster p : posters.values()) {
                p.close();
            }
        }
    }

    /**
     * Sends the chunks to their platforms' topics, {@link #KAFKA_WINDOW} chunks in flight; a chunk
     * any of whose records failed is sent again whole until all are acknowledged.
     */
    static Void sendOverKafka(List<Chunk> chunks) throws Exception {
        ArrayDeque<Map.Entry<Chunk, List<Future<RecordMetadata>>>> inFlight = new ArrayDeque<>();
        for (Chunk chunk : chunks) {
            if (!kafkaPermits.tryAcquire(10, TimeUnit.MINUTES)) {
                throw new AssertionError("the HTTP path made no progress in 10 minutes");
            }
            inFlight.add(Map.entry(chunk, sendAll(chunk)));
            while (inFlight.size() > KAFKA_WINDOW) {
                settle(inFlight.poll());
            }
        }
        while (!inFlight.isEmpty()) {
            settle(inFlight.poll());
        }
        return null;
    }

    static List<Future<RecordMetadata>> sendAll(Chunk chunk) {
        String topic = "usage.in." + chunk.load.scenario.platform;
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        for (List<Integer> part : List.of(chunk.fresh, chunk.again)) {
            for (int i : part) {
                acks.add(
                        producer.send(
                                new ProducerRecord<>(
                                        topic,
                                        bytes(chunk.load.scenario.platform + "-" + i),
                                        bytes(chunk.event(i)))));
            }
        }
        if (chunk.poison != null) {
            acks.add(
                    producer.send(
                            new ProducerRecord<>(
                                    topic, bytes(chunk.poison[0]), bytes(chunk.poison[1]))));
        }
        return acks;
    }

    static void settle(Map.Entry<Chunk, List<Future<RecordMetadata>>> sent) throws Exception {
        Chunk chunk = sent.getKey();
        List<Future<RecordMetadata>> acks = sent.getValue();
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (true) {
            try {
                for (Future<RecordMetadata> a : acks) {
                    a.get(4, TimeUnit.MINUTES);
                }
                break;
            } catch (ExecutionException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                kafkaRetries.incrementAndGet();
                acks = sendAll(chunk);
            }
        }
        if (chunk.poison != null) {
            synchronized (FaultInjectionIT.poison) {
                FaultInjectionIT.poison.put(chunk.poison[0], chunk.poison[2]);
            }
        }
        chunk.acknowledged();
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------- the faults

    /**
     * {@code kill -9} of usage-service when a fifth of the events is acknowledged to the generator,
     * a broker restart at 45%, {@code kill -9} again at 70%: while both paths are sending and the
     * consumer is storing what they sent before.
     */
    static Void injectFaults(Progress progress) {
        awaitSent(EVENTS / 5);
        kill(progress, 1);
        awaitSent(EVENTS * 45 / 100);
        long stored = progress.stored();
        long sent = sent();
        long at = System.nanoTime();
        try {
            FaultInjectionIT.broker.restart();
        } catch (Exception e) {
            throw new IllegalStateException("the broker did not restart", e);
        }
        faults.add(
                String.format(
                        "broker restarted at %.1f s (%,d new events acknowledged, %,d stored): stopped and serving again in %.1f s",
                        secs(at), sent, stored, (System.nanoTime() - at) / 1e9));
        awaitSent(EVENTS * 70 / 100);
        kill(progress, 2);
        return null;
    }

    static void kill(Progress progress, int n) {
        long stored = progress.stored();
        long sent = sent();
        long at = System.nanoTime();
        restartUsage(true);
        faults.add(
                String.format(
                        "kill -9 #%d of usage-service at %.1f s (%,d new events acknowledged, %,d stored): restarted and ready %.1f s later",
                        n, secs(at), sent, stored, (System.nanoTime() - at) / 1e9));
    }

    /** New events acknowledged to the generator, over both paths. */
    static long sent() {
        return httpFresh.get() + kafkaFresh.get();
    }

    static void awaitSent(long events) {
        await().atMost(Duration.ofMinutes(20)).pollInterval(POLL).until(() -> sent() >= events);
    }

    /**
     * Polls the events stored (the usage roll-ups, committed with the events: folded rows plus
     * batches not folded yet) every {@link #POLL}, and keeps each instant at which they grew.
     */
    static final class Progress {
        final java.util.concurrent.ScheduledExecutorService timer =
                Executors.newSingleThreadScheduledExecutor();
        final AtomicLong stored = new AtomicLong();
        final AtomicLong failedPolls = new AtomicLong();
        final List<long[]> growth = java.util.Collections.synchronizedList(new ArrayList<>());
        Connection c;

        void start() throws Exception {
            c = database("usage");
            PreparedStatement ps =
                    c.prepareStatement(
                            "select coalesce(sum(events), 0) from usage_rollup_all where platform_id like 'pf-fl%'");
            timer.scheduleAtFixedRate(
                    () -> {
                        try (ResultSet rs = ps.executeQuery()) {
                            rs.next();
                            long now = rs.getLong(1);
                            if (now != stored.get()) {
                                stored.set(now);
                                growth.add(new long[] {System.nanoTime(), now});
                            }
                        } catch (java.sql.SQLException e) {
                            // measured again at the next tick
                            failedPolls.incrementAndGet();
                        }
                    },
                    0,
                    POLL.toMillis(),
                    TimeUnit.MILLISECONDS);
        }

        long stored() {
            return stored.get();
        }

        /** The first instant at which {@code events} were stored. */
        long reachedAt(long events) {
            synchronized (growth) {
                return growth.stream().filter(g -> g[1] >= events).findFirst().orElseThrow()[0];
            }
        }

        /**
         * The {@code n} longest intervals, from the start until {@code end}, in which the stored
         * events did not grow, longest first: each one's start and end.
         */
        List<long[]> longestPauses(long end, int n) {
            List<long[]> pauses = new ArrayList<>();
            long previous = t0;
            synchronized (growth) {
                for (long[] g : growth) {
                    if (g[0] > end) {
                        break;
                    }
                    pauses.add(new long[] {previous, g[0]});
                    previous = g[0];
                }
            }
            pauses.sort(java.util.Comparator.comparingLong((long[] p) -> p[0] - p[1]));
            return pauses.subList(0, Math.min(n, pauses.size()));
        }

        void stop() throws Exception {
            timer.shutdown();
            timer.awaitTermination(10, TimeUnit.SECONDS);
            c.close();
        }
    }

    // ---------------------------------------------------------------- the checks

    /** usage_event and event_key hold each event once, and no poison record. */
    static void checkStored() throws Exception {
        try (Connection c = database("usage")) {
            for (Load l : loads) {
                String p = l.scenario.platform;
                assertThat(count(c, "select count(*) from usage_event where platform_id = ?", p))
                        .as("events stored for %s", p)
                        .isEqualTo(l.scenario.events);
                assertThat(count(c, "select count(*) from event_key where platform_id = ?", p))
                        .as("event keys of %s", p)
                        .isEqualTo(l.scenario.events);
                assertThat(
                                count(
                                        c,
                                        "select count(*) from event_key where platform_id = ? and event_id like '%-poison-%'",
                                        p))
                        .as("poison records stored for %s", p)
                        .isZero();
            }
        }
    }

    /** GET /usage/summary by day: each day's events and revenue as tallied. */
    static void checkUsageRollups() throws Exception {
        for (Load l : loads) {
            Map<String, String> actual = new TreeMap<>();
            for (JsonNode i :
                    FaultInjectionIT.json(
                                    FaultInjectionIT.usage.url()
                                            + "/usage/summary?groupBy=day&platformId="
                                            + l.scenario.platform,
                                    FaultInjectionIT.finance)
                            .get("items")) {
                BigDecimal revenue = BigDecimal.ZERO;
                for (JsonNode r : i.get("revenue")) {
                    revenue = revenue.add(new BigDecimal(r.get("amount").asText()));
                }
                actual.put(
                        i.get("period").asText(), i.get("events").asLong() + " " + cents(revenue));
            }
            assertThat(actual)
                    .as("usage roll-ups of %s by day", l.scenario.platform)
                    .isEqualTo(l.byDay());
        }
    }

    /** settlement-service's usage_rollup by day: each day's events and revenue as tallied. */
    static void checkSettlementRollups() {
        for (Load l : loads) {
            await().atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofSeconds(1))
                    .untilAsserted(
                            () -> {
                                Map<String, String> actual = new TreeMap<>();
                                try (Connection c = database("settlement");
                                        PreparedStatement ps =
                                                c.prepareStatement(
                                                        "select day, sum(events), sum(revenue) from usage_rollup"
                                                                + " where platform_id = ? group by day")) {
                                    ps.setString(1, l.scenario.platform);
                                    try (ResultSet rs = ps.executeQuery()) {
                                        while (rs.next()) {
                                            actual.put(
                                                    rs.getString(1),
                                                    rs.getLong(2)
                                                            + " "
                                                            + cents(rs.getBigDecimal(3)));
                                        }
                                    }
                                }
                                assertThat(actual)
                                        .as("settlement roll-ups of %s by day", l.scenario.platform)
                                        .isEqualTo(l.byDay());
                            });
        }
    }

    /**
     * Records in usage.dlq: the sum of its partitions' end offsets (its producer is not
     * transactional).
     */
    static long dlqRecords() throws Exception {
        return FaultInjectionIT.endOffsets("usage.dlq").values().stream()
                .mapToLong(Long::longValue)
                .sum();
    }

    /** A connection to a service's database on the run's PostgreSQL. */
    static Connection database(String name) throws java.sql.SQLException {
        return DriverManager.getConnection(
                FaultInjectionIT.db.jdbcUrl(name),
                FaultInjectionIT.db.user(),
                FaultInjectionIT.db.password());
    }

    static long count(Connection c, String sql, String platform) throws Exception {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, platform);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** An amount in cents, exactly (fails if it has a fraction of a cent). */
    static long cents(BigDecimal amount) {
        return amount.movePointRight(2).longValueExact();
    }

    static void line(StringBuilder report, String format, Object... args) {
        report.append(String.format(format, args)).append('\n');
    }

    /** Seconds from the start of the load to {@code instant} ({@link System#nanoTime()}). */
    static double secs(long instant) {
        return (instant - t0) / 1e9;
    }
}
