package dev.fairshare.systemtest.faults;

import dev.fairshare.localstack.KafkaSecurity;
import dev.fairshare.localstack.Topics;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * An Apache Kafka broker (KRaft, one node as broker and controller) as its own process, started
 * from Kafka's own jars ({@code kafka.Kafka}), which the test can stop and start on the same ports
 * and log directory.
 */
final class BrokerProcess implements AutoCloseable {
    private final Path dir;
    private final int port;
    private final Path config;
    private final String superUserSecret;
    private Process process;

    private BrokerProcess(Path dir, int port, Path config, String superUserSecret) {
        this.dir = dir;
        this.port = port;
        this.config = config;
        this.superUserSecret = superUserSecret;
    }

    static BrokerProcess start(Path dir) throws Exception {
        Files.createDirectories(dir);
        int port = freePort();
        int controller = freePort();
        Path config = dir.resolve("server.properties");
        String secret = Uuid.randomUuid().toString();
        // SCRAM for every client and the ACLs of production, as the in-process broker (Broker)
        List<String> security = new ArrayList<>();
        KafkaSecurity.brokerConfig("CLIENT", "CONTROLLER", secret)
                .forEach((k, v) -> security.add(k + "=" + v));
        Files.writeString(
                config,
                String.join(
                                "\n",
                                "process.roles=broker,controller",
                                "node.id=1",
                                "controller.quorum.voters=1@localhost:" + controller,
                                "listeners=CLIENT://localhost:"
                                        + port
                                        + ",CONTROLLER://localhost:"
                                        + controller,
                                "advertised.listeners=CLIENT://localhost:" + port,
                                "controller.listener.names=CONTROLLER",
                                "inter.broker.listener.name=CLIENT",
                                "listener.security.protocol.map=CLIENT:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT",
                                String.join("\n", security),
                                "log.dirs=" + dir.resolve("data"),
                                "offsets.topic.replication.factor=1",
                                "transaction.state.log.replication.factor=1",
                                "transaction.state.log.min.isr=1",
                                "share.coordinator.state.topic.replication.factor=1",
                                "share.coordinator.state.topic.min.isr=1",
                                "group.initial.rebalance.delay.ms=0",
                                "auto.create.topics.enable=false",
                                "")
                        + "\n");
        BrokerProcess broker = new BrokerProcess(dir, port, config, secret);
        Process format =
                java(
                                "kafka.tools.StorageTool",
                                "format",
                                "-t",
                                Uuid.randomUuid().toString(),
                                "-c",
                                config.toString())
                        .redirectOutput(dir.resolve("format.log").toFile())
                        .redirectErrorStream(true)
                        .start();
        if (!format.waitFor(60, TimeUnit.SECONDS) || format.exitValue() != 0) {
            throw new IllegalStateException(
                    "formatting the broker's storage failed: "
                            + Files.readString(dir.resolve("format.log")));
        }
        broker.launch();
        Map<String, Object> superUser = broker.clientProperties(KafkaSecurity.SUPER_USER);
        KafkaSecurity.provisionServices(superUser);
        Topics.create(superUser, Topics.fixedTopics());
        return broker;
    }

    private static ProcessBuilder java(String main, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx512m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main);
        command.addAll(List.of(args));
        return new ProcessBuilder(command);
    }

    private void launch() throws Exception {
        process =
                java("kafka.Kafka", config.toString())
                        .redirectErrorStream(true)
                        .redirectOutput(
                                ProcessBuilder.Redirect.appendTo(
                                        dir.resolve("broker.log").toFile()))
                        .start();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        "the broker exited; see " + dir.resolve("broker.log"));
            }
            Map<String, Object> props = clientProperties(KafkaSecurity.SUPER_USER);
            props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000);
            props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000);
            try (Admin admin = Admin.create(props)) {
                admin.describeCluster().nodes().get(3, TimeUnit.SECONDS);
                return;
            } catch (Exception e) {
                Thread.sleep(300);
            }
        }
        throw new IllegalStateException(
                "the broker did not start; see " + dir.resolve("broker.log"));
    }

    String bootstrapServers() {
        return "localhost:" + port;
    }

    /** The client properties of a service principal or of the super user on this broker. */
    Map<String, Object> clientProperties(String principal) {
        return KafkaSecurity.clientProperties(bootstrapServers(), principal, superUserSecret);
    }

    /** Stops the broker (SIGTERM, a controlled shutdown) and starts it again on the same data. */
    void restart() throws Exception {
        stop();
        launch();
    }

    private void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    @Override
    public void close() throws Exception {
        stop();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
