package dev.fairshare.localstack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A Fairshare service run from its packaged jar as a separate process. */
public final class ServiceProcess implements AutoCloseable {
    private final String name;

    /** The environment variable of the management interface's port (health, metrics, OpenAPI). */
    public static final String MANAGEMENT_PORT = "QUARKUS_MANAGEMENT_PORT";

    private final int port;
    private final int managementPort;
    private final Process process;
    private final Path log;

    private ServiceProcess(String name, int port, int managementPort, Process process, Path log) {
        this.name = name;
        this.port = port;
        this.managementPort = managementPort;
        this.process = process;
        this.log = log;
    }

    /**
     * A service's own JVM options, as its image sets them (src/main/docker/Dockerfile.jvm).
     * usage-service compiles with C1 only: on two cores shared with PostgreSQL and Kafka, C2's
     * compilations cost the ingestion more CPU than they save (docs/benchmarks-history.md); and it
     * keeps no large per-thread copy of the Kafka fetch responses it reads into the heap (the JDK
     * caches a native buffer as large as the largest read otherwise).
     */
    /**
     * As the images' run-java.sh does: a service out of heap exits (where an orchestrator starts it
     * again, it resumes from what it committed) instead of running on with a thread that died.
     */
    static final String EXIT_ON_OUT_OF_MEMORY = "-XX:+ExitOnOutOfMemoryError";

    static final Map<String, List<String>> SERVICE_JVM_OPTIONS =
            Map.of(
                    "usage-service",
                    List.of(
                            // a fixed heap for the ingestion's measured footprint: a
                            // young generation whose survivors hold the batches in flight, so
                            // that they die there instead of filling the old one
                            "-XX:+UseSerialGC",
                            "-Xmx136m",
                            "-Xmn80m",
                            "-XX:SurvivorRatio=3",
                            "-XX:TargetSurvivorRatio=90",
                            "-XX:TieredStopAtLevel=1",
                            "-Djdk.nio.maxCachedBufferSize=262144",
                            EXIT_ON_OUT_OF_MEMORY));

    /** The JVM options of the other services: the collector and a heap of the images' kind. */
    static final List<String> DEFAULT_JVM_OPTIONS =
            List.of("-Xmx256m", "-XX:+UseParallelGC", EXIT_ON_OUT_OF_MEMORY);

    /**
     * Starts {@code <repo>/<name>/target/quarkus-app/quarkus-run.jar} on {@code port} with the
     * given environment; its output goes to {@code logDir/<name>.log}. Its management interface
     * listens on {@code QUARKUS_MANAGEMENT_PORT} when {@code env} names one, else on a free port.
     */
    public static ServiceProcess start(
            Path repo,
            String name,
            int port,
            Map<String, String> env,
            Path logDir,
            String... jvmArgs) {
        Path jar = repo.resolve(name).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(
                    jar + " is missing: build with ./mvnw -DskipTests package");
        }
        try {
            Files.createDirectories(logDir);
            Path log = logDir.resolve(name + ".log");
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(SERVICE_JVM_OPTIONS.getOrDefault(name, DEFAULT_JVM_OPTIONS));
            command.addAll(List.of(jvmArgs));
            command.add("-jar");
            command.add(jar.toString());
            ProcessBuilder pb = new ProcessBuilder(command);
            // as the images: two malloc arenas, not eight a core (native memory, not speed)
            pb.environment().put("MALLOC_ARENA_MAX", "2");
            pb.environment().putAll(env);
            pb.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
            int management =
                    env.containsKey(MANAGEMENT_PORT)
                            ? Integer.parseInt(env.get(MANAGEMENT_PORT))
                            : freePortOtherThan(port);
            pb.environment().put(MANAGEMENT_PORT, Integer.toString(management));
            pb.redirectErrorStream(true);
            pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            return new ServiceProcess(name, port, management, pb.start(), log);
        } catch (IOException e) {
            throw new IllegalStateException("could not start " + name, e);
        }
    }

    /**
     * A free port that is not {@code taken}: the caller's own free port was released a moment ago,
     * and the system may hand the same number out again.
     */
    private static int freePortOtherThan(int taken) throws IOException {
        while (true) {
            try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
                if (socket.getLocalPort() != taken) {
                    return socket.getLocalPort();
                }
            }
        }
    }

    /**
     * Waits until {@code /q/health/ready} (on the management port) answers 200, or fails with the
     * tail of the log.
     */
    public ServiceProcess awaitReady(Duration timeout) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited:\n" + tail());
            }
            try {
                HttpResponse<String> r =
                        http.send(
                                HttpRequest.newBuilder(
                                                URI.create(managementUrl() + "/q/health/ready"))
                                        .timeout(Duration.ofSeconds(2))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return this;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException(name + " not ready after " + timeout + ":\n" + tail());
    }

    private String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    public String name() {
        return name;
    }

    public String url() {
        return "http://localhost:" + port;
    }

    /** The management interface: /q/health, /q/metrics, /q/openapi, /q/swagger-ui. */
    public String managementUrl() {
        return "http://localhost:" + managementPort;
    }

    public Process process() {
        return process;
    }

    /** {@code kill -9}. */
    public void kill() {
        process.destroyForcibly();
        waitFor();
    }

    @Override
    public void close() {
        process.destroy();
        waitFor();
    }

    private void waitFor() {
        try {
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
