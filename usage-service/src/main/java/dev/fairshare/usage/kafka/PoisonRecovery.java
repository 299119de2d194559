package dev.fairshare.usage.kafka;

import dev.fairshare.usage.config.UsageConfig;
import dev.fairshare.usage.store.DeadLettersWritten;
import dev.fairshare.usage.store.EventStore;
import dev.fairshare.usage.store.Quarantines;
import dev.fairshare.usage.store.Transactions;
import dev.fairshare.usage.store.Transactions.DataAccessException;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * Finds and quarantines the inbound record that made the consumer's process die or its poll fail,
 * before the consumer reads its partitions again.
 *
 * <p>A record's value is decompressed whole inside {@code KafkaConsumer.poll()}: a record that
 * decompresses past the heap kills the process there (the images run with {@code
 * -XX:+ExitOnOutOfMemoryError}) before the service sees it, and kills it again after every restart.
 * That record lies within one poll of the offsets stored in PostgreSQL: a partition is polled only
 * after its writer committed what was polled before (the consumer pauses it until then). So after a
 * start that follows a death, the partitions the member had are read from their stored offsets, up
 * to {@code 2 × max-poll-records} records each, one record at a time, by a throw-away process with
 * a small heap ({@link RecordScout}): the record that kills it is the one. The records before it
 * are then read here one at a time and stored as usual; the record itself is written to {@code
 * usage.dlq} once ({@code UNPROCESSABLE_RECORD}), recorded in {@code quarantined_record} and passed
 * (its offset + 1 stored with the quarantine). Normal polls pay nothing for this: the search runs
 * only after a death.
 */
@ApplicationScoped
public class PoisonRecovery {
    public static final String UNPROCESSABLE = "UNPROCESSABLE_RECORD";
    static final String METRIC = "fairshare.quarantined.records";

    /** The scout's heap in MiB: a record it cannot hold is one the service cannot either. */
    static final int SCOUT_HEAP_MIB = 32;

    /** Records read here carefully before they go to a batch. */
    static final int CAREFUL_BATCH = 500;

    private static final Logger LOG = Logger.getLogger(PoisonRecovery.class);

    /** Stores a batch of inbound records as the consumer does; answers the positions stored. */
    @FunctionalInterface
    public interface BatchWriter {
        Map<TopicPartition, Long> write(List<ConsumerRecord<byte[], byte[]>> records)
                throws Exception;
    }

    @Inject KafkaClients clients;
    @Inject EventStore store;
    @Inject DeadLettersWritten deadLetters;
    @Inject Quarantines quarantines;
    @Inject Transactions transactions;
    @Inject MeterRegistry metrics;
    @Inject UsageConfig config;

    /** Per platform, the records quarantined so far (in PostgreSQL, by any process). */
    private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();

    void registerMetric(@Observes StartupEvent event) {
        refreshMetric();
    }

    /** The metric counts every quarantine recorded so far, not only this process's. */
    private void refreshMetric() {
        try {
            quarantines
                    .countByPlatform()
                    .forEach(
                            (platform, n) ->
                                    counts.computeIfAbsent(
                                                    platform,
                                                    p -> {
                                                        AtomicLong c = new AtomicLong();
                                                        FunctionCounter.builder(
                                                                        METRIC,
                                                                        c,
                                                                        AtomicLong::doubleValue)
                                                                .description(
                                                                        "inbound records set aside"
                                                                                + " (usage.dlq,"
                                                                                + " UNPROCESSABLE_RECORD)")
                                                                .tag("platform", p)
                                                                .register(metrics);
                                                        return c;
                                                    })
                                            .set(n));
        } catch (DataAccessException e) {
            LOG.warnf("cannot read the quarantined records: %s", e.toString());
        }
    }

    /**
     * Examines {@code partitions} past the offsets stored for {@code group} and quarantines each
     * record that a reader cannot hold or read; the records before it are stored by {@code writer}.
     * Answers the coordinates quarantined.
     */
    public List<DeadLettersWritten.Source> recover(
            String group, Collection<TopicPartition> partitions, BatchWriter writer)
            throws Exception {
        List<DeadLettersWritten.Source> quarantined = new ArrayList<>();
        if (partitions.isEmpty()) {
            return quarantined;
        }
        int limit = 2 * config.maxPollRecords();
        try (KafkaConsumer<byte[], byte[]> reader = clients.reader()) {
            List<RecordScout.Range> ranges = ranges(group, partitions, reader);
            // each round ends at a record that killed the scout; at most one round a partition
            // and record, and a bound for the pathological
            for (int round = 0; !ranges.isEmpty() && round < 100; round++) {
                Scan scan = scout(ranges, limit);
                for (Clean r : scan.clean) {
                    if (r.oversized() >= 0) {
                        // records it held, larger than an event may be: read one by one here,
                        // never a poll of them together (they go to usage.dlq as EVENT_TOO_LARGE)
                        careful(
                                reader,
                                r.range().tp(),
                                r.range().from(),
                                r.oversized() + 1,
                                writer);
                    }
                }
                if (scan.culprit == null) {
                    if (scan.inconclusive != null) {
                        LOG.warnf(
                                "the inbound partitions could not be examined (%s); the consumer"
                                        + " resumes without a quarantine",
                                scan.inconclusive);
                    }
                    break;
                }
                RecordScout.Range at = scan.culprit;
                careful(reader, at.tp(), at.from(), at.to(), writer);
                quarantine(group, at.tp(), at.to(), scan.reason);
                quarantined.add(
                        new DeadLettersWritten.Source(
                                at.tp().topic(), at.tp().partition(), at.to()));
                ranges = new ArrayList<>(scan.unscanned);
                RecordScout.Range rest = scan.rest;
                if (rest != null && rest.from() < rest.to()) {
                    ranges.add(0, rest);
                }
            }
        }
        return quarantined;
    }

    /** [stored offset, end) of each partition that holds records past its stored offset. */
    private List<RecordScout.Range> ranges(
            String group,
            Collection<TopicPartition> partitions,
            KafkaConsumer<byte[], byte[]> reader) {
        // a topic deleted since (nothing to examine there) would only fail the offset look-ups
        Set<String> topics = reader.listTopics().keySet();
        partitions = partitions.stream().filter(tp -> topics.contains(tp.topic())).toList();
        Map<TopicPartition, Long> stored = StoredPositions.of(store, group, partitions);
        Map<TopicPartition, Long> begin = reader.beginningOffsets(partitions);
        Map<TopicPartition, Long> end = reader.endOffsets(partitions);
        List<RecordScout.Range> out = new ArrayList<>();
        for (TopicPartition tp : partitions) {
            long from = Math.max(begin.getOrDefault(tp, 0L), stored.getOrDefault(tp, 0L));
            long to = end.getOrDefault(tp, 0L);
            if (from < to) {
                out.add(new RecordScout.Range(tp, from, to));
            }
        }
        return out;
    }

    /** A range the scout read through, and the offset of its last oversized record (or -1). */
    private record Clean(RecordScout.Range range, long oversized) {}

    /**
     * What the scout found: the ranges it read through, the record that stopped it ({@code
     * culprit}: from the range's start to the record's offset, exclusive), the rest of that
     * partition's range and the ranges it did not reach.
     */
    private static final class Scan {
        final List<Clean> clean = new ArrayList<>();
        RecordScout.Range culprit;
        RecordScout.Range rest;
        String reason;
        List<RecordScout.Range> unscanned = List.of();
        String inconclusive;
    }

    Scan scout(List<RecordScout.Range> ranges, int limit) throws IOException, InterruptedException {
        Process p;
        try {
            p = startScout();
        } catch (IOException e) {
            // no search without a process to do it: the consumer resumes as it would have
            Scan none = new Scan();
            none.inconclusive = "the scout process could not start: " + e;
            return none;
        }
        try (OutputStream stdin = p.getOutputStream()) {
            StringWriter w = new StringWriter();
            scoutInput(ranges, limit).store(w, null);
            stdin.write(w.toString().getBytes(StandardCharsets.UTF_8));
        }
        Report report = read(p, ranges);
        if (!p.waitFor(RecordScout.RANGE_TIMEOUT.toSeconds() * 2, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
        }
        return judge(report, p.exitValue(), ranges);
    }

    /** The scout's settings: the client's, the ranges to read and how much a record may take. */
    private Properties scoutInput(List<RecordScout.Range> ranges, int limit) {
        Properties in = clients.scout();
        in.setProperty(
                RecordScout.RANGES,
                ranges.stream().map(RecordScout.Range::encode).collect(Collectors.joining(",")));
        in.setProperty(RecordScout.LIMIT, Integer.toString(limit));
        return in;
    }

    private static Process startScout() throws IOException {
        List<String> command =
                List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx" + SCOUT_HEAP_MIB + "m",
                        "-XX:+UseSerialGC",
                        // the Kafka client logs through SLF4J, which has no provider there
                        "-Dslf4j.internal.verbosity=ERROR",
                        "-XX:TieredStopAtLevel=1",
                        "-XX:+ExitOnOutOfMemoryError",
                        "-cp",
                        scoutClassPath(),
                        RecordScout.class.getName());
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    /** What the scout reported on its output, line by line, up to where it stopped. */
    private static final class Report {
        final Scan scan = new Scan();
        int index = -1;
        long lastRead = -1;
        long oversized = -1;
        String fail;
        boolean ended;
    }

    private Report read(Process p, List<RecordScout.Range> ranges) throws IOException {
        Report report = new Report();
        try (BufferedReader out =
                new BufferedReader(
                        new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                String[] f = line.split(" ", 3);
                switch (f[0]) {
                    case "scan" -> {
                        report.index++;
                        report.lastRead = -1;
                        report.oversized = -1;
                    }
                    case "read" -> {
                        report.lastRead = Long.parseLong(f[1]);
                        if (Long.parseLong(f[2]) > config.maxEventBytes()) {
                            report.oversized = report.lastRead;
                        }
                    }
                    case "clean" ->
                            report.scan.clean.add(
                                    new Clean(ranges.get(report.index), report.oversized));
                    case "fail" -> report.fail = line.substring(5);
                    case "error" -> report.scan.inconclusive = line.substring(6);
                    case "end" -> report.ended = true;
                    default -> LOG.debugf("scout: %s", line);
                }
            }
        }
        return report;
    }

    /**
     * The scan as the scout left it: complete when it ended cleanly; otherwise, when it died on a
     * record (exit 3: out of heap, 4: the client cannot read it), that record is the culprit.
     */
    private static Scan judge(Report report, int exit, List<RecordScout.Range> ranges) {
        Scan scan = report.scan;
        int index = report.index;
        if (report.ended && exit == 0) {
            return scan;
        }
        boolean culprit = exit == 3 || exit == 4;
        if (!culprit || index < 0 || index >= ranges.size() || scan.clean.size() != index) {
            scan.inconclusive =
                    scan.inconclusive != null ? scan.inconclusive : "the scout exited " + exit;
            return scan;
        }
        RecordScout.Range r = ranges.get(index);
        long at = report.lastRead >= 0 ? report.lastRead + 1 : r.from();
        scan.culprit = new RecordScout.Range(r.tp(), r.from(), at);
        scan.rest = new RecordScout.Range(r.tp(), at + 1, r.to());
        scan.unscanned = ranges.subList(index + 1, ranges.size());
        scan.reason =
                exit == 3
                        ? "reading it exhausted the heap of a reader of "
                                + SCOUT_HEAP_MIB
                                + " MiB; the consumer's process died reading it"
                        : "the Kafka client cannot read it: " + report.fail;
        LOG.warnf(
                "record %s/%d/%d cannot be read (%s): it is quarantined",
                r.tp().topic(), r.tp().partition(), at, scan.reason);
        return scan;
    }

    /** The class path of the scout: this class's and the Kafka client's jars (or directories). */
    static String scoutClassPath() {
        Set<String> paths = new LinkedHashSet<>();
        for (String name :
                List.of(
                        RecordScout.class.getName(),
                        "org.apache.kafka.clients.consumer.KafkaConsumer",
                        "net.jpountz.lz4.LZ4Factory",
                        "com.github.luben.zstd.Zstd",
                        "org.xerial.snappy.Snappy",
                        "org.slf4j.LoggerFactory")) {
            try {
                Class<?> c = Class.forName(name, false, PoisonRecovery.class.getClassLoader());
                var source = c.getProtectionDomain().getCodeSource();
                if (source != null && source.getLocation() != null) {
                    paths.add(Path.of(source.getLocation().toURI()).toString());
                }
            } catch (ClassNotFoundException | java.net.URISyntaxException | RuntimeException e) {
                // an optional codec that is not there: the scout cannot read its batches either
            }
        }
        return String.join(java.io.File.pathSeparator, paths);
    }

    /**
     * Reads [{@code from}, {@code to}) of {@code tp} one record a poll (never the record at {@code
     * to}) and stores them through {@code writer} in batches.
     */
    private void careful(
            KafkaConsumer<byte[], byte[]> reader,
            TopicPartition tp,
            long from,
            long to,
            BatchWriter writer)
            throws Exception {
        if (from >= to) {
            return;
        }
        reader.assign(List.of(tp));
        reader.seek(tp, from);
        List<ConsumerRecord<byte[], byte[]>> batch = new ArrayList<>();
        long bytes = 0;
        long deadline = System.nanoTime() + RecordScout.RANGE_TIMEOUT.toNanos();
        while (reader.position(tp) < to) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "could not read "
                                + tp
                                + " up to "
                                + to
                                + " in "
                                + RecordScout.RANGE_TIMEOUT);
            }
            for (ConsumerRecord<byte[], byte[]> r : reader.poll(Duration.ofMillis(500))) {
                batch.add(r);
                bytes += r.value() == null ? 0 : r.value().length;
            }
            if (batch.size() >= CAREFUL_BATCH || bytes >= KafkaClients.MAX_BATCH_BYTES) {
                writer.write(new ArrayList<>(batch));
                batch.clear();
                bytes = 0;
            }
        }
        if (!batch.isEmpty()) {
            writer.write(batch);
        }
    }

    /**
     * Writes the dead letter of {@code tp}/{@code offset} once, records the quarantine and stores
     * the position past it, in one transaction.
     */
    private void quarantine(String group, TopicPartition tp, long offset, String reason)
            throws Exception {
        DeadLettersWritten.Source source =
                new DeadLettersWritten.Source(tp.topic(), tp.partition(), offset);
        if (deadLetters.written(Set.of(source)).isEmpty()) {
            clients.sendAll(
                    List.of(
                            DeadLetters.of(
                                    tp.topic(),
                                    tp.partition(),
                                    offset,
                                    null,
                                    null,
                                    UNPROCESSABLE,
                                    reason)));
            deadLetters.record(Set.of(source));
        }
        String platform = UsageConsumer.platformOf(tp.topic());
        boolean recorded =
                transactions.inTransaction(
                        c -> {
                            boolean first =
                                    quarantines.record(
                                            c,
                                            platform,
                                            tp.topic(),
                                            tp.partition(),
                                            offset,
                                            reason);
                            store.write(
                                    c,
                                    List.of(),
                                    List.of(
                                            new EventStore.Position(
                                                    group,
                                                    tp.topic(),
                                                    tp.partition(),
                                                    offset + 1)));
                            return first;
                        });
        if (recorded) {
            refreshMetric();
        }
    }

    /** The partitions ({@code topic/partition}) as Kafka names them. */
    public static Set<TopicPartition> partitions(Collection<String> names) {
        Set<TopicPartition> out = new HashSet<>();
        for (String n : names) {
            int slash = n.lastIndexOf('/');
            out.add(
                    new TopicPartition(
                            n.substring(0, slash), Integer.parseInt(n.substring(slash + 1))));
        }
        return out;
    }
}
