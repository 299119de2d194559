package dev.fairshare.systemtest;

import dev.fairshare.localstack.Infrastructure;
import dev.fairshare.localstack.ServiceProcess;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Real PostgreSQL and Kafka, and the three packaged services as processes on free ports.
 *
 * <p><b>The shared stack.</b> Booting a stack takes about 20 s on two cores, so the ITs that
 * neither stop, kill nor restart anything in it run on one stack, booted by the first of them and
 * closed once the test run ends ({@link SharedStackSession}). An IT uses it like this:
 *
 * <pre>{@code
 * class MyIT {
 *     static SystemStack stack;
 *
 *     @BeforeAll
 *     static void start() {
 *         stack = SystemStack.shared();
 *     }
 *     // no @AfterAll closing it: the run closes it after the last IT
 * }
 * }</pre>
 *
 * Sharing works because every IT on it keeps to these rules:
 *
 * <ul>
 *   <li><b>Its own names.</b> Makers, platforms, models, refs and namespaces, agreements and
 *       usernames that no other IT uses: prefix them with the IT's name ({@code e2e-}, {@code
 *       names-}, {@code dispute-}, …). {@code DashboardIT} alone uses the demo world's names
 *       ({@code DemoSeed}: coqui, voicelab, acme-cloud, nimbus-ai, streamvoice, finance, finance2).
 *   <li><b>Its own periods.</b> Closing a period is global, and periods close in order (no period
 *       closes while an earlier one in settlement's calendar, which starts at the first agreement's
 *       {@code validFrom}, and holds every month from it to the current one, is open). {@code
 *       DashboardIT} closes the previous month; {@code DisputeIT} starts its agreements in the
 *       third month before the current one and closes it and the second, up to DashboardIT's: in
 *       either order, each closes the earliest open months. Every other IT starts its agreements
 *       and its models' usage no earlier than the previous month and closes nothing; an IT that
 *       must close a period (a third one could leave open months before another's) runs on a stack
 *       of its own.
 *   <li><b>Its own numbers.</b> It reads what it created: a platform's usage summary, a maker's
 *       payouts ({@code ?makerId=}), not the totals of everything in the stack.
 *   <li><b>Finished work.</b> It leaves nothing half done that another IT could trip over (a payout
 *       run is completed, not left pending: one run per currency may be unfinished).
 * </ul>
 *
 * An IT that kills or restarts a process, or restarts the broker, starts a stack of its own ({@link
 * #start()}, closed in its {@code @AfterAll}) and is ordered before the shared ITs with
 * {@code @Order(1)} ({@code junit-platform.properties} orders classes by it; {@link
 * PlatformStack}'s two ITs, which close the current month, come next with {@code @Order(2)}), so
 * that the shared stack boots once, after them. Starting an own stack closes the shared one first:
 * one JVM runs one in-process broker, and a second {@link Infrastructure} would use the shared
 * stack's.
 */
public final class SystemStack implements AutoCloseable {
    public final Infrastructure infra;
    public final ServiceProcess registry;
    public final ServiceProcess usage;
    public final ServiceProcess settlement;

    private static SystemStack shared;
    private static boolean hooked;

    /** The stacks booted and not closed yet: never more than one (see {@link #boot()}). */
    private static final java.util.Set<SystemStack> running =
            java.util.concurrent.ConcurrentHashMap.newKeySet();

    private SystemStack(
            Infrastructure infra,
            ServiceProcess registry,
            ServiceProcess usage,
            ServiceProcess settlement) {
        this.infra = infra;
        this.registry = registry;
        this.usage = usage;
        this.settlement = settlement;
    }

    public static Path repo() {
        return Path.of(System.getProperty("fairshare.repo", "../..")).toAbsolutePath().normalize();
    }

    /** The shared stack, booted by the first caller; see the class comment for the rules. */
    public static synchronized SystemStack shared() throws Exception {
        if (shared == null) {
            if (!hooked) {
                // the run's end closes it (SharedStackSession); this is for a run cut short
                Runtime.getRuntime().addShutdownHook(new Thread(SystemStack::closeShared));
                hooked = true;
            }
            long started = System.nanoTime();
            shared = boot();
            System.out.printf(
                    "the shared stack booted in %d ms%n",
                    (System.nanoTime() - started) / 1_000_000);
        }
        return shared;
    }

    /** Closes the shared stack if it runs; the next {@link #shared()} boots a new one. */
    public static synchronized void closeShared() {
        if (shared != null) {
            long started = System.nanoTime();
            try {
                shared.close();
            } finally {
                shared = null;
            }
            System.out.printf(
                    "the shared stack closed in %d ms%n",
                    (System.nanoTime() - started) / 1_000_000);
        }
    }

    /**
     * A stack of the caller's own, which it closes: for an IT that kills or restarts what runs in
     * it. Closes the shared stack first.
     */
    public static SystemStack start() throws Exception {
        closeShared();
        return boot();
    }

    /**
     * Boots a stack, refusing while another one runs: its {@link Infrastructure} would use the
     * running stack's in-process broker, and two usage-services (or settlement-services) would then
     * share one consumer group with two databases.
     */
    private static SystemStack boot() throws Exception {
        if (!running.isEmpty()) {
            throw new IllegalStateException(
                    "another SystemStack is running: an IT uses SystemStack.shared(), or closes"
                            + " its own stack in its @AfterAll before the next one starts");
        }
        Path repo = repo();
        Path logs = repo.resolve("deploy/system-tests/target/it-logs");
        Infrastructure infra = Infrastructure.start(null, 0);
        ServiceProcess registry =
                ServiceProcess.start(
                        repo, "registry-service", freePort(), infra.environment("registry"), logs);
        ServiceProcess usage =
                ServiceProcess.start(
                        repo, "usage-service", freePort(), infra.environment("usage"), logs);
        Map<String, String> env = new LinkedHashMap<>(infra.environment("settlement"));
        env.put("FAIRSHARE_REGISTRY_URL", registry.url());
        env.put("FAIRSHARE_USAGE_URL", usage.url());
        ServiceProcess settlement =
                ServiceProcess.start(repo, "settlement-service", freePort(), env, logs);
        SystemStack stack = new SystemStack(infra, registry, usage, settlement);
        running.add(stack);
        try {
            for (ServiceProcess s : new ServiceProcess[] {registry, usage, settlement}) {
                s.awaitReady(Duration.ofMinutes(2));
            }
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
        return stack;
    }

    @Override
    public void close() {
        running.remove(this);
        for (ServiceProcess s : new ServiceProcess[] {settlement, usage, registry}) {
            if (s != null) {
                s.close();
            }
        }
        infra.close();
    }

    public static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
