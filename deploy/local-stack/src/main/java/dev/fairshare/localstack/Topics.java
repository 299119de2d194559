package dev.fairshare.localstack;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

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

    /** Creates the topics that do not exist yet and waits for their leaders. */
    public static void create(String bootstrapServers, List<NewTopic> topics) {
        try (Admin admin =
                Admin.create(
                        Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
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
