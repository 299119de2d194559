package dev.fairshare.localstack;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;

/** The topics of DESIGN.md, and their creation on a broker (idempotent). */
public final class Topics {
    public static final String REGISTRY_MAKERS = "registry.makers";
    public static final String REGISTRY_PLATFORMS = "registry.platforms";
    public static final String REGISTRY_MODELS = "registry.models";
    public static final String REGISTRY_AGREEMENTS = "registry.agreements";

    /** Dispute corrections, keyed by dispute id (each key once): compacted, so kept for good. */
    public static final String REGISTRY_REATTRIBUTIONS = "registry.reattributions";

    /** Makers' proposals of platform aliases with their status, keyed by proposal id: compacted. */
    public static final String REGISTRY_ALIAS_PROPOSALS = "registry.alias-proposals";

    public static final String USAGE_ATTRIBUTED = "usage.attributed";
    public static final String USAGE_DLQ = "usage.dlq";
    public static final String USAGE_IN_PREFIX = "usage.in.";

    public static final List<String> REGISTRY =
            List.of(
                    REGISTRY_MAKERS,
                    REGISTRY_PLATFORMS,
                    REGISTRY_MODELS,
                    REGISTRY_AGREEMENTS,
                    REGISTRY_REATTRIBUTIONS,
                    REGISTRY_ALIAS_PROPOSALS);

    /** Partitions of a platform's inbound topic and of {@code usage.attributed}. */
    public static final int USAGE_PARTITIONS = 4;

    /** The Kafka principal (SCRAM user) of each service. */
    public static final String REGISTRY_PRINCIPAL = "fairshare-registry";

    public static final String USAGE_PRINCIPAL = "fairshare-usage";
    public static final String SETTLEMENT_PRINCIPAL = "fairshare-settlement";

    /** The consumer groups of usage-service and settlement-service (their config defaults). */
    public static final String USAGE_GROUP = "usage-service";

    public static final String SETTLEMENT_GROUP = "settlement-service";

    /**
     * The principal of a hosting platform: the registry issues it when it onboards the platform.
     */
    public static String platformPrincipal(String platformId) {
        return "platform-" + platformId;
    }

    /**
     * One ACL: the operations a principal may perform on a resource (a literal name, or every name
     * with the prefix; the cluster resource is named {@code kafka-cluster}).
     */
    public record Grant(
            ResourceType type, String name, PatternType pattern, List<AclOperation> operations) {
        static Grant topic(String name, AclOperation... ops) {
            return new Grant(ResourceType.TOPIC, name, PatternType.LITERAL, List.of(ops));
        }

        static Grant topics(String prefix, AclOperation... ops) {
            return new Grant(ResourceType.TOPIC, prefix, PatternType.PREFIXED, List.of(ops));
        }

        static Grant group(String name, AclOperation... ops) {
            return new Grant(ResourceType.GROUP, name, PatternType.LITERAL, List.of(ops));
        }

        static Grant cluster(AclOperation... ops) {
            return new Grant(
                    ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL, List.of(ops));
        }
    }

    /**
     * What each service may do on the broker: what DESIGN.md's topic table says it reads and
     * writes, nothing more. {@code registry.*} is written by the registry alone, {@code
     * usage.attributed} and {@code usage.dlq} by usage-service alone. The registry also creates
     * each platform's inbound topic and manages the platforms' credentials and ACLs (ALTER on the
     * cluster), and producers are idempotent (IDEMPOTENT_WRITE).
     * deploy/k8s/infrastructure/users.yaml grants the same (DeploymentManifestsTest).
     */
    public static final Map<String, List<Grant>> SERVICE_GRANTS =
            Map.of(
                    REGISTRY_PRINCIPAL,
                    List.of(
                            Grant.topics("registry.", AclOperation.DESCRIBE, AclOperation.WRITE),
                            Grant.topics(
                                    USAGE_IN_PREFIX, AclOperation.CREATE, AclOperation.DESCRIBE),
                            Grant.cluster(AclOperation.ALTER, AclOperation.IDEMPOTENT_WRITE)),
                    USAGE_PRINCIPAL,
                    List.of(
                            Grant.topics(
                                    USAGE_IN_PREFIX,
                                    AclOperation.DESCRIBE,
                                    AclOperation.READ,
                                    AclOperation.WRITE),
                            Grant.group(USAGE_GROUP, AclOperation.READ),
                            Grant.topic(REGISTRY_MODELS, AclOperation.DESCRIBE, AclOperation.READ),
                            Grant.topic(
                                    REGISTRY_PLATFORMS, AclOperation.DESCRIBE, AclOperation.READ),
                            Grant.topic(
                                    REGISTRY_REATTRIBUTIONS,
                                    AclOperation.DESCRIBE,
                                    AclOperation.READ),
                            Grant.topic(
                                    USAGE_ATTRIBUTED, AclOperation.DESCRIBE, AclOperation.WRITE),
                            Grant.topic(USAGE_DLQ, AclOperation.DESCRIBE, AclOperation.WRITE),
                            Grant.cluster(AclOperation.IDEMPOTENT_WRITE)),
                    SETTLEMENT_PRINCIPAL,
                    List.of(
                            Grant.topic(USAGE_ATTRIBUTED, AclOperation.DESCRIBE, AclOperation.READ),
                            Grant.group(SETTLEMENT_GROUP, AclOperation.READ),
                            Grant.topics("registry.", AclOperation.DESCRIBE, AclOperation.READ)));

    /** What a platform may do: write its own inbound topic (idempotently), nothing else. */
    public static List<Grant> platformGrants(String platformId) {
        return List.of(
                Grant.topic(usageIn(platformId), AclOperation.DESCRIBE, AclOperation.WRITE),
                Grant.cluster(AclOperation.IDEMPOTENT_WRITE));
    }

    /** The service that writes {@code topic}: the registry its topics, usage-service the rest. */
    public static String writer(String topic) {
        return topic.startsWith("registry.") ? REGISTRY_PRINCIPAL : USAGE_PRINCIPAL;
    }

    private Topics() {}

    public static String usageIn(String platformId) {
        return USAGE_IN_PREFIX + platformId;
    }

    /** The fixed topics: compacted registry topics, the attributed stream and the dead letters. */
    public static List<NewTopic> fixedTopics() {
        List<NewTopic> topics = new ArrayList<>();
        for (String name : REGISTRY) {
            topics.add(
                    new NewTopic(name, 1, (short) 1)
                            .configs(
                                    Map.of(
                                            TopicConfig.CLEANUP_POLICY_CONFIG,
                                            TopicConfig.CLEANUP_POLICY_COMPACT)));
        }
        topics.add(new NewTopic(USAGE_ATTRIBUTED, USAGE_PARTITIONS, (short) 1));
        topics.add(new NewTopic(USAGE_DLQ, 1, (short) 1));
        return topics;
    }

    /**
     * Waits until every partition of the topics has a leader: a producer that writes to a partition
     * before its leader is known can see its first batch refused and later ones accepted.
     */
    static void awaitLeaders(Admin admin, List<String> names)
            throws InterruptedException, ExecutionException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (true) {
            try {
                boolean ready =
                        admin.describeTopics(names).allTopicNames().get().values().stream()
                                .flatMap(t -> t.partitions().stream())
                                .allMatch(p -> p.leader() != null && !p.leader().isEmpty());
                if (ready) {
                    return;
                }
            } catch (ExecutionException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("topics " + names + " have no leader after 30 s");
            }
            Thread.sleep(50);
        }
    }

    /**
     * Creates the topics that do not exist yet and waits for their leaders, as the client that
     * {@code adminProperties} configure (e.g. {@link Broker#clientProperties(String)}).
     */
    public static void create(Map<String, Object> adminProperties, List<NewTopic> topics) {
        try (Admin admin = Admin.create(adminProperties)) {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing =
                    topics.stream().filter(t -> !existing.contains(t.name())).toList();
            if (missing.isEmpty()) {
                return;
            }
            for (var entry : admin.createTopics(missing).values().entrySet()) {
                try {
                    entry.getValue().get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException(
                                "could not create topic " + entry.getKey(), e.getCause());
                    }
                }
            }
            awaitLeaders(admin, missing.stream().map(NewTopic::name).toList());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not list topics", e.getCause());
        }
    }
}
