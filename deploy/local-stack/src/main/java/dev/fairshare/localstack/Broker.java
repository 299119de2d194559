package dev.fairshare.localstack;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real Apache Kafka broker: a single-node KRaft cluster in this JVM (Kafka's own test kit), or an
 * external cluster when {@code FAIRSHARE_KAFKA_BOOTSTRAP} names one. Either way every client
 * authenticates with SASL/SCRAM-SHA-512 and the broker authorizes by ACLs ({@link KafkaSecurity}):
 * the services as their principals ({@link Topics#SERVICE_GRANTS}), platforms as the principals the
 * registry issues. An external cluster must offer SASL_PLAINTEXT with SCRAM-SHA-512 and an admin
 * principal that may create users, ACLs and topics ({@code FAIRSHARE_KAFKA_ADMIN_USER}, {@code
 * FAIRSHARE_KAFKA_ADMIN_PASSWORD}).
 */
public final class Broker implements AutoCloseable {
    private static final java.util.logging.Logger LOG =
            java.util.logging.Logger.getLogger(Broker.class.getName());

    /**
     * The in-process broker of this JVM ({@code bootstrap servers|super user secret}). SASL
     * mechanisms are JVM-wide security providers, and a second broker loaded by another class
     * loader (a Quarkus test profile, a plain JUnit class beside the Quarkus tests) would get the
     * first one's SASL server, which cannot read its callbacks: every JVM runs one broker, and
     * later starts use it.
     */
    private static final String IN_PROCESS = "fairshare.kafka.in-process";

    private final KafkaClusterTestKit cluster;
    private final String bootstrapServers;
    private final Map<String, Object> superUser;

    private Broker(
            KafkaClusterTestKit cluster, String bootstrapServers, Map<String, Object> superUser) {
        this.cluster = cluster;
        this.bootstrapServers = bootstrapServers;
        this.superUser = superUser;
    }

    /**
     * Starts the broker (or connects to the external one), gives the services their credentials and
     * ACLs, and creates the fixed topics.
     */
    public static Broker start() {
        String external = System.getenv("FAIRSHARE_KAFKA_BOOTSTRAP");
        Broker broker;
        if (external != null && !external.isBlank()) {
            if (System.getenv("FAIRSHARE_KAFKA_ADMIN_USER") == null
                    || System.getenv("FAIRSHARE_KAFKA_ADMIN_PASSWORD") == null) {
                throw new IllegalStateException(
                        "FAIRSHARE_KAFKA_BOOTSTRAP needs FAIRSHARE_KAFKA_ADMIN_USER and"
                                + " FAIRSHARE_KAFKA_ADMIN_PASSWORD: a SCRAM principal that may"
                                + " create users, ACLs and topics");
            }
            broker =
                    new Broker(
                            null,
                            external,
                            KafkaSecurity.scramClient(
                                    external,
                                    System.getenv("FAIRSHARE_KAFKA_ADMIN_USER"),
                                    System.getenv("FAIRSHARE_KAFKA_ADMIN_PASSWORD")));
        } else if (System.getProperty(IN_PROCESS) != null) {
            String[] running = System.getProperty(IN_PROCESS).split("\\|", 2);
            return new Broker(
                    null, running[0], KafkaSecurity.superUserClient(running[0], running[1]));
        } else {
            // Kafka's test kit deletes its log directories from a JVM shutdown hook; a broker that
            // then finds its directory gone would halt this JVM with status 1. An in-process broker
            // must never decide the exit status of its host (a test run, the local runner).
            Exit.setHaltProcedure(
                    (status, message) ->
                            LOG.warning(
                                    "in-process Kafka asked to halt (" + status + "): " + message));
            Exit.setExitProcedure(
                    (status, message) ->
                            LOG.warning(
                                    "in-process Kafka asked to exit (" + status + "): " + message));
            try {
                TestKitNodes nodes =
                        new TestKitNodes.Builder()
                                .setBootstrapMetadataVersion(MetadataVersion.latestProduction())
                                .setCombined(true)
                                .setNumBrokerNodes(1)
                                .setNumControllerNodes(1)
                                .setBrokerSecurityProtocol(SecurityProtocol.SASL_PLAINTEXT)
                                .setControllerSecurityProtocol(SecurityProtocol.SASL_PLAINTEXT)
                                .build();
                String secret = UUID.randomUUID().toString();
                KafkaClusterTestKit.Builder builder =
                        new KafkaClusterTestKit.Builder(nodes)
                                .setConfigProp("offsets.topic.replication.factor", "1")
                                .setConfigProp("transaction.state.log.replication.factor", "1")
                                .setConfigProp("transaction.state.log.min.isr", "1")
                                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                                .setConfigProp("num.partitions", "1")
                                .setConfigProp("auto.create.topics.enable", "false")
                                .setConfigProp("log.cleaner.backoff.ms", "1000");
                KafkaSecurity.brokerConfig(
                                nodes.brokerListenerName().value(),
                                nodes.controllerListenerName().value(),
                                secret)
                        .forEach(builder::setConfigProp);
                KafkaClusterTestKit cluster = builder.build();
                cluster.format();
                cluster.startup();
                cluster.waitForReadyBrokers();
                broker =
                        new Broker(
                                cluster,
                                cluster.bootstrapServers(),
                                KafkaSecurity.superUserClient(cluster.bootstrapServers(), secret));
                System.setProperty(IN_PROCESS, cluster.bootstrapServers() + "|" + secret);
            } catch (Exception e) {
                throw new IllegalStateException("could not start the in-process Kafka broker", e);
            }
        }
        KafkaSecurity.provisionServices(broker.superUser);
        Topics.create(broker.superUser, Topics.fixedTopics());
        return broker;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /**
     * The client properties (bootstrap servers and SASL settings) of a service principal ({@link
     * Topics#SERVICE_GRANTS}, with its local password) or of {@link KafkaSecurity#SUPER_USER},
     * which test harnesses use to set up and inspect what no service may.
     */
    public Map<String, Object> clientProperties(String principal) {
        if (principal.equals(KafkaSecurity.SUPER_USER)) {
            return new HashMap<>(superUser);
        }
        return KafkaSecurity.scramClient(
                bootstrapServers, principal, KafkaSecurity.localPassword(principal));
    }

    /** The client properties of a SCRAM principal with its password (e.g. a platform's). */
    public Map<String, Object> clientProperties(String username, String password) {
        return KafkaSecurity.scramClient(bootstrapServers, username, password);
    }

    /** A producer of strings as {@code principal}, acknowledged by every in-sync replica. */
    public KafkaProducer<String, String> producer(String principal) {
        Map<String, Object> p = clientProperties(principal);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        return new KafkaProducer<>(p);
    }

    /**
     * Sends one record as the service that writes the topic ({@link Topics#writer}) and waits for
     * its acknowledgement (a null value is a tombstone).
     */
    public void send(String topic, String key, String value) {
        try (KafkaProducer<String, String> p = producer(Topics.writer(topic))) {
            p.send(new ProducerRecord<>(topic, key, value)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("could not send to " + topic, e.getCause());
        }
    }

    @Override
    public void close() {
        if (cluster != null) {
            System.clearProperty(IN_PROCESS);
            try {
                cluster.close();
            } catch (Exception e) {
                throw new IllegalStateException("could not stop the Kafka broker", e);
            }
        }
    }
}
