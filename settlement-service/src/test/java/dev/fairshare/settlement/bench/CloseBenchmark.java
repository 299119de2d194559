package dev.fairshare.settlement.bench;

import dev.fairshare.settlement.engine.Agreement;
import dev.fairshare.settlement.engine.Coverage;
import dev.fairshare.settlement.engine.CustomerType;
import dev.fairshare.settlement.engine.ModelInfo;
import dev.fairshare.settlement.engine.Parent;
import dev.fairshare.settlement.engine.PerUnit;
import dev.fairshare.settlement.engine.RevenueShare;
import dev.fairshare.settlement.engine.SettlementEngine;
import dev.fairshare.settlement.engine.StatementLine;
import dev.fairshare.settlement.engine.Terms;
import dev.fairshare.settlement.engine.Tier;
import dev.fairshare.settlement.engine.UncoveredUsage;
import dev.fairshare.settlement.engine.UsageRow;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Times {@link SettlementEngine#settle} on a synthetic month close of production size. Not a test:
 * run its {@code main} by hand.
 *
 * <p>The world (fixed seed, so every run settles the same inputs): 100 makers with 20 models each
 * (2,000 models in four lineage layers, so royalties cascade up to three hops), 20 platforms, each
 * model served on 5 of them (10,000 platform-model pairs), 1,000 agreements (revenue shares and
 * graduated per-unit prices, 70% of them for all the maker's models, a tenth in EUR, a third with a
 * minimum guarantee, a tenth ending mid-month and followed by a new version), and a usage row for
 * every pair, every day of November 2026 and both customer types: 600,000 rows of 1 to 5 events
 * each (about 1.8 million events, a third of them with no agreement), a twentieth of them in EUR.
 *
 * <p>Arguments: {@code [warm-up runs (3)] [measured runs (5)] [file to write the lines to]}. It
 * prints the number of lines, a hash of them (equal hashes = equal statements, to check that an
 * optimisation changes no result), and the min and median of the measured runs' wall time and of
 * the settling thread's CPU time (which a busy machine disturbs less). Each run starts after a full
 * GC.
 */
public final class CloseBenchmark {

    static final YearMonth PERIOD = YearMonth.of(2026, 11);
    static final int MAKERS = 100;
    static final int MODELS_PER_MAKER = 20;
    static final int PLATFORMS = 20;
    static final int PLATFORMS_PER_MODEL = 5;
    static final int AGREEMENTS = 1_000;

    record World(Map<String, ModelInfo> models, List<Agreement> agreements, List<UsageRow> usage) {}

    private CloseBenchmark() {}

    public static void main(String[] args) throws IOException {
        int warmUps = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        long started = System.nanoTime();
        World world = world(new Random(20261130L));
        long events = world.usage().stream().mapToLong(UsageRow::events).sum();
        long uncovered =
                new Coverage(PERIOD, world.agreements(), world.models())
                        .uncovered(world.usage()).stream().mapToLong(UncoveredUsage::events).sum();
        System.out.printf(
                "world: %d models, %d agreements, %d usage rows, %d events, %d of them without"
                        + " agreement (built in %d ms)%n",
                world.models().size(),
                world.agreements().size(),
                world.usage().size(),
                events,
                uncovered,
                millis(System.nanoTime() - started));

        List<StatementLine> lines = List.of();
        for (int i = 0; i < warmUps; i++) {
            Run run = run(world);
            lines = run.lines();
            System.out.println("warm-up " + (i + 1) + ": " + run);
        }
        long[] wall = new long[runs];
        long[] cpu = new long[runs];
        for (int i = 0; i < runs; i++) {
            Run run = run(world);
            lines = run.lines();
            wall[i] = run.wallNanos();
            cpu[i] = run.cpuNanos();
            System.out.println("run " + (i + 1) + ": " + run);
        }
        Arrays.sort(wall);
        Arrays.sort(cpu);
        System.out.printf("lines: %d, hash: %08x%n", lines.size(), lines.toString().hashCode());
        if (runs > 0) {
            System.out.printf(
                    "settle over %d runs: wall min %d ms, median %d ms; thread cpu min %d ms,"
                            + " median %d ms%n",
                    runs,
                    millis(wall[0]),
                    millis(wall[runs / 2]),
                    millis(cpu[0]),
                    millis(cpu[runs / 2]));
        }
        if (args.length > 2) {
            try (PrintWriter out =
                    new PrintWriter(
                            Files.newBufferedWriter(Path.of(args[2]), StandardCharsets.UTF_8))) {
                lines.forEach(out::println);
            }
        }
    }

    /** One timed close, after a full GC so that the runs start alike. */
    record Run(List<StatementLine> lines, long wallNanos, long cpuNanos, long gcMillis) {

        @Override
        public String toString() {
            return String.format(
                    "wall %d ms, thread cpu %d ms, gc %d ms",
                    millis(wallNanos), millis(cpuNanos), gcMillis);
        }
    }

    static Run run(World world) {
        System.gc();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long gcBefore = gcMillis();
        long cpuBefore = threads.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        List<StatementLine> lines = settle(world);
        long wall = System.nanoTime() - start;
        long cpu = threads.getCurrentThreadCpuTime() - cpuBefore;
        return new Run(lines, wall, cpu, gcMillis() - gcBefore);
    }

    private static long gcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(GarbageCollectorMXBean::getCollectionTime)
                .sum();
    }

    static List<StatementLine> settle(World world) {
        return SettlementEngine.settle(
                PERIOD, world.usage(), List.of(), world.agreements(), world.models());
    }

    static World world(Random random) {
        Map<String, ModelInfo> models = models(random);
        List<Agreement> agreements = agreements(random);
        List<UsageRow> usage = usage(random, models);
        return new World(models, agreements, usage);
    }

    /**
     * Model {@code j} of each maker is in lineage layer {@code j % 4}; a model of layer {@code L >
     * 0} has one or two parents of layer {@code L − 1} (of any maker), so the lineage is at most
     * three hops deep.
     */
    private static Map<String, ModelInfo> models(Random random) {
        List<List<String>> layers =
                List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        Map<String, ModelInfo> models = new TreeMap<>();
        for (int j = 0; j < MODELS_PER_MAKER; j++) {
            int layer = j % 4;
            for (int m = 0; m < MAKERS; m++) {
                String id = model(m, j);
                List<Parent> parents = new ArrayList<>();
                if (layer > 0) {
                    List<String> candidates = layers.get(layer - 1);
                    int count = 1 + random.nextInt(2);
                    for (int p = 0; p < count; p++) {
                        String parent = candidates.get(random.nextInt(candidates.size()));
                        if (parents.stream().noneMatch(x -> x.modelId().equals(parent))) {
                            parents.add(new Parent(parent, share(random, 1, 30)));
                        }
                    }
                }
                if (layer < 3) {
                    layers.get(layer).add(id);
                }
                models.put(id, new ModelInfo(id, maker(m), random.nextInt(3) > 0, parents));
            }
        }
        return models;
    }

    /**
     * Agreement {@code i} binds maker {@code m = i % 100} on platform {@code (m + 2k) % 20} with
     * {@code k = i / 100}, so that each maker has one agreement on each of 10 platforms: for all
     * the maker's models (70%) or for one of them. A tenth end mid-month and are followed by a new
     * version with other terms from that day.
     */
    private static List<Agreement> agreements(Random random) {
        List<Agreement> agreements = new ArrayList<>();
        LocalDate start = LocalDate.of(2026, 1, 1);
        for (int i = 0; agreements.size() < AGREEMENTS; i++) {
            int maker = i % MAKERS;
            String platform = platform(makersPlatform(maker, i / MAKERS));
            String model =
                    random.nextInt(10) < 7 ? null : model(maker, random.nextInt(MODELS_PER_MAKER));
            String currency = random.nextInt(10) == 0 ? "EUR" : "USD";
            BigDecimal guarantee =
                    random.nextInt(3) == 0 ? BigDecimal.valueOf(100 + random.nextInt(5000)) : null;
            if (random.nextInt(10) == 0 && agreements.size() < AGREEMENTS - 1) {
                LocalDate change = PERIOD.atDay(5 + random.nextInt(20));
                agreements.add(
                        new Agreement(
                                "a" + i + "-v1",
                                maker(maker),
                                platform,
                                model,
                                currency,
                                start,
                                change,
                                terms(random),
                                guarantee));
                agreements.add(
                        new Agreement(
                                "a" + i + "-v2",
                                maker(maker),
                                platform,
                                model,
                                currency,
                                change,
                                null,
                                terms(random),
                                guarantee));
            } else {
                agreements.add(
                        new Agreement(
                                "a" + i,
                                maker(maker),
                                platform,
                                model,
                                currency,
                                start,
                                null,
                                terms(random),
                                guarantee));
            }
        }
        return agreements;
    }

    private static Terms terms(Random random) {
        if (random.nextBoolean()) {
            return new RevenueShare(share(random, 5, 40));
        }
        String metric = random.nextBoolean() ? "tokens" : "requests";
        BigDecimal unitSize = metric.equals("tokens") ? new BigDecimal("1000000") : BigDecimal.ONE;
        List<Tier> tiers =
                metric.equals("tokens")
                        ? List.of(
                                new Tier(new BigDecimal("500000000"), new BigDecimal("0.40")),
                                new Tier(new BigDecimal("2000000000"), new BigDecimal("0.30")),
                                new Tier(null, new BigDecimal("0.25")))
                        : List.of(
                                new Tier(new BigDecimal("100000"), new BigDecimal("0.0010")),
                                new Tier(null, new BigDecimal("0.0007")));
        return new PerUnit(metric, unitSize, tiers);
    }

    /**
     * A row for every (platform, model) pair, day and customer type; a model is served on 5 of the
     * 10 platforms where its maker has an agreement.
     */
    private static List<UsageRow> usage(Random random, Map<String, ModelInfo> models) {
        List<UsageRow> rows = new ArrayList<>(600_000);
        for (ModelInfo model : models.values()) {
            int maker = Integer.parseInt(model.makerId().substring("maker-".length()));
            int first = random.nextInt(10);
            for (int p = 0; p < PLATFORMS_PER_MODEL; p++) {
                String platform = platform(makersPlatform(maker, (first + p * 2) % 10));
                for (int day = 1; day <= PERIOD.lengthOfMonth(); day++) {
                    for (CustomerType customerType : CustomerType.values()) {
                        long events = 1 + random.nextInt(5);
                        long tokens = events * (200 + random.nextInt(4000));
                        rows.add(
                                new UsageRow(
                                        platform,
                                        model.id(),
                                        PERIOD.atDay(day),
                                        customerType,
                                        random.nextInt(20) == 0 ? "EUR" : "USD",
                                        events,
                                        BigDecimal.valueOf(tokens * 3, 6),
                                        Map.of(
                                                "requests",
                                                BigDecimal.valueOf(events),
                                                "tokens",
                                                BigDecimal.valueOf(tokens))));
                    }
                }
            }
        }
        return rows;
    }

    /** The {@code k}-th (0 to 9) of the 10 platforms where maker {@code maker} has agreements. */
    private static int makersPlatform(int maker, int k) {
        return (maker + 2 * k) % PLATFORMS;
    }

    /** A share between {@code min} and {@code max} hundredths. */
    private static BigDecimal share(Random random, int min, int max) {
        return BigDecimal.valueOf(min + random.nextInt(max - min + 1), 2);
    }

    private static String maker(int index) {
        return "maker-" + index;
    }

    private static String model(int maker, int index) {
        return "maker-" + maker + "/model-" + index;
    }

    private static String platform(int index) {
        return "platform-" + index;
    }

    private static long millis(long nanos) {
        return nanos / 1_000_000;
    }
}
