package dev.fairshare.systemtest;

import dev.fairshare.localstack.Infrastructure;
import dev.fairshare.localstack.ServiceProcess;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** Real PostgreSQL and Kafka, and the three packaged services as processes on free ports. */
final class SystemStack implements AutoCloseable {
    final Infrastructure infra;
    final ServiceProcess registry;
    final ServiceProcess usage;
    final ServiceProcess settlement;

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

    static Path repo() {
        return Path.of(System.getProperty("fairshare.repo", "../..")).toAbsolutePath().normalize();
    }

    static SystemStack start() throws Exception {
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
        for (ServiceProcess s : new ServiceProcess[] {registry, usage, settlement}) {
            s.awaitReady(Duration.ofMinutes(2));
        }
        return stack;
    }

    @Override
    public void close() {
        for (ServiceProcess s : new ServiceProcess[] {settlement, usage, registry}) {
            if (s != null) {
                s.close();
            }
        }
        infra.close();
    }

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
