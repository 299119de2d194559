package dev.fairshare.localstack;

import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real Apache Kafka broker: a single-node KRaft cluster in this JVM (Kafka's own test kit), or an
 * external cluster when {@code FAIRSHARE_KAFKA_BOOTSTRAP} names one.
 */
public final class Broker implements AutoCloseable {
    private static final java.util.logging.Logger LOG =
            java.util.logging.Logger.getLogger(Broker.class.getName());
    private final KafkaClusterTestKit cluster;
    private final String bootstrapServers;

    private Broker(KafkaClusterTestKit cluster, String bootstrapServers) {
        this.cluster = cluster;
        this.bootstrapServers = bootstrapServers;
    }

    /** Starts the broker (or connects to the external one) and creates the fixed topics. */
    public static Broker start() {
        String external = System.getenv("FAIRSHARE_KAFKA_BOOTSTRAP");
        Broker broker;
        if (external != null && !external.isBlank()) {
            broker = new Broker(null, external);
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
                KafkaClusterTestKit cluster =
                        new KafkaClusterTestKit.Builder(
                                        new TestKitNodes.Builder()
                                                .setBootstrapMetadataVersion(
                                                        MetadataVersion.latestProduction())
                                                .setCombined(true)
                                                .setNumBrokerNodes(1)
                                                .setNumControllerNodes(1)
                                                .build())
                                .setConfigProp("offsets.topic.replication.factor", "1")
                                .setConfigProp("transaction.state.log.replication.factor", "1")
                                .setConfigProp("transaction.state.log.min.isr", "1")
                                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                                .setConfigProp("num.partitions", "1")
                                .setConfigProp("auto.create.topics.enable", "false")
                                .setConfigProp("log.cleaner.backoff.ms", "1000")
                                .build();
                cluster.format();
                cluster.startup();
                cluster.waitForReadyBrokers();
                broker = new Broker(cluster, cluster.bootstrapServers());
            } catch (Exception e) {
                throw new IllegalStateException("could not start the in-process Kafka broker", e);
            }
        }
        Topics.create(broker.bootstrapServers, Topics.fixedTopics());
        return broker;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** A plain producer of strings to this broker, acknowledged by every in-sync replica. */
    public KafkaProducer<String, String> producer() {
        return new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrapServers,
                        ProducerConfig.ACKS_CONFIG,
                        "all",
                        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                        StringSerializer.class,
                        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                        StringSerializer.class));
    }

    /** Sends one record and waits for its acknowledgement (a null value is a tombstone). */
    public void send(String topic, String key, String value) {
        try (KafkaProducer<String, String> p = producer()) {
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
            try {
                cluster.close();
            } catch (Exception e) {
                throw new IllegalStateException("could not stop the Kafka broker", e);
            }
        }
    }
}
