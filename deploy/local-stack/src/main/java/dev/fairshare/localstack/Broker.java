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
        if (external != null && !external.isBlank()) {
            return provisioned(external(external));
        }
        if (System.getProperty(IN_PROCESS) != null) {
            // the broker this JVM started before, provisioned by that start
            return running(System.getProperty(IN_PROCESS));
        }
        return provisioned(inProcess());
    }

    /**
     * {@code broker}, once the services have their credentials and ACLs and the fixed topics exist.
     */
    private static Broker provisioned(Broker broker) {
        KafkaSecurity.provisionServices(broker.superUser);
        Topics.create(broker.superUser, Topics.fixedTopics());
        return broker;
    }

    /**
     * The external cluster at {@code bootstrapServers}, as the admin principal the environment
     * names.
     */
    private static Broker external(String bootstrapServers) {
        if (System.getenv("FAIRSHARE_KAFKA_ADMIN_USER") == null
                || System.getenv("FAIRSHARE_KAFKA_ADMIN_PASSWORD") == null) {
            throw new IllegalStateException(
                    "FAIRSHARE_KAFKA_BOOTSTRAP needs FAIRSHARE_KAFKA_ADMIN_USER and"
                            + " FAIRSHARE_KAFKA_ADMIN_PASSWORD: a SCRAM principal that may"
                            + " create users, ACLs and topics");
        }
        return new Broker(
                null,
                bootstrapServers,
                KafkaSecurity.scramClient(
                        bootstrapServers,
                        System.getenv("FAIRSHARE_KAFKA_ADMIN_USER"),
                        System.getenv("FAIRSHARE_KAFKA_ADMIN_PASSWORD")));
    }

    /** The in-process broker already running in this JVM ({@link #IN_PROCESS}'s value). */
    private static Broker running(String inProcess) {
        String[] running = inProcess.split("\\|", 2);
        return new Broker(null, running[0], KafkaSecurity.superUserClient(running[0], running[1]));
    }

    /** A new single-node KRaft cluster in this JVM, its super user's secret a random one. */
    private static Broker inProcess() {
        keepExitStatusOfTheHost();
        try {
            TestKitNodes nodes = nodes();
            String secret = UUID.randomUUID().toString();
            KafkaClusterTestKit cluster = cluster(nodes, secret);
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            Broker broker =
                    new Broker(
                            cluster,
                            cluster.bootstrapServers(),
                            KafkaSecurity.superUserClient(cluster.bootstrapServers(), secret));
            System.setProperty(IN_PROCESS, cluster.bootstrapServers() + "|" + secret);
            return broker;
        } catch (Exception e) {
            throw new IllegalStateException("could not start the in-process Kafka broker", e);
        }
    }

    /**
     * Kafka's test kit deletes its log directories from a JVM shutdown hook; a broker that then
     * finds its directory gone would halt this JVM with status 1. An in-process broker must never
     * decide the exit status of its host (a test run, the local runner).
     */
    private static void keepExitStatusOfTheHost() {
        Exit.setHaltProcedure(
                (status, message) ->
                        LOG.warning("in-process Kafka asked to halt (" + status + "): " + message));
        Exit.setExitProcedure(
                (status, message) ->
                        LOG.warning("in-process Kafka asked to exit (" + status + "): " + message));
    }

    /** One combined broker and controller node, both speaking SASL_PLAINTEXT. */
    private static TestKitNodes nodes() {
        return new TestKitNodes.Builder()
                .setBootstrapMetadataVersion(MetadataVersion.latestProduction())
                .setCombined(true)
                .setNumBrokerNodes(1)
                .setNumControllerNodes(1)
                .setBrokerSecurityProtocol(SecurityProtocol.SASL_PLAINTEXT)
                .setControllerSecurityProtocol(SecurityProtocol.SASL_PLAINTEXT)
                .build();
    }

    /**
     * The cluster of {@code nodes}, not yet formatted: single-replica internal topics, one
     * partition per topic unless asked, no topic created by a client, and SCRAM with {@code secret}
     * as the super user's.
     */
    private static KafkaClusterTestKit cluster(TestKitNodes nodes, String secret) throws Exception {
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
        return builder.build();
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
