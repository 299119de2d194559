package dev.fairshare.settlement.kafka;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * How a consumer of this instance belongs to its group: as a static member ({@code
 * group.instance.id}) whose id survives a restart of the process. A member that comes back with the
 * same id after a crash takes its partitions back at once; without it, the group waited for the
 * dead member's session to time out before anyone consumed them again.
 *
 * <p>A static member's plain {@code close()} keeps its place in the group (the group waits up to
 * the session timeout for it to come back). That is right when the consumer is replaced inside the
 * process after an error; on shutdown the instance may not come back (a scale-down), so it leaves
 * the group and its partitions go to the others at once.
 */
public record StaticMembership(String instanceId, Duration sessionTimeout) {
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    /**
     * The configured id, or one that is stable for a process on this host: the host name (a
     * Kubernetes pod's name, kept across restarts of its container) and the HTTP port (two local
     * instances differ in it).
     */
    public static StaticMembership of(
            Optional<String> configured, String service, int httpPort, Duration sessionTimeout) {
        String id =
                configured
                        .filter(s -> !s.isBlank())
                        .orElseGet(() -> service + "-" + hostName() + "-" + httpPort);
        return new StaticMembership(id, sessionTimeout);
    }

    static String hostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    /** Sets the member's id and session timeout on a consumer's properties. */
    public void configure(Properties p) {
        p.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instanceId);
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, Long.toString(sessionTimeout.toMillis()));
    }

    /**
     * Closes a consumer: leaving the group when the instance stops, keeping its place (for the
     * consumer that replaces it in this process) otherwise.
     */
    public static void close(KafkaConsumer<?, ?> consumer, boolean leaveGroup) {
        consumer.close(
                CloseOptions.groupMembershipOperation(
                                leaveGroup
                                        ? CloseOptions.GroupMembershipOperation.LEAVE_GROUP
                                        : CloseOptions.GroupMembershipOperation.REMAIN_IN_GROUP)
                        .withTimeout(CLOSE_TIMEOUT));
    }
}
