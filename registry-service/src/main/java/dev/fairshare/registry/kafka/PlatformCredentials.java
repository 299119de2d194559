package dev.fairshare.registry.kafka;

import dev.fairshare.registry.config.RegistryConfig;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialDeletion;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.ResourceNotFoundException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.resource.ResourceType;

/**
 * A platform's Kafka identity: the SCRAM-SHA-512 credential of the principal {@code
 * platform-<platformId>} and its literal ACLs (WRITE and DESCRIBE on its own {@code
 * usage.in.<platformId>}, IDEMPOTENT_WRITE on the cluster), made through the Admin API as the
 * registry's principal, which may alter the cluster's credentials and ACLs. The broker keeps only a
 * salted hash of the password: it is returned to the caller once and stored nowhere.
 */
@ApplicationScoped
public class PlatformCredentials {
    /** The outcome of an issue: the principal and its new password. */
    public record Issued(String username, String password) {}

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Inject KafkaConnection kafka;

    @Inject RegistryConfig config;

    private Admin admin;

    public static String principal(String platformId) {
        return "platform-" + platformId;
    }

    public static String topic(String platformId) {
        return "usage.in." + platformId;
    }

    /** The ACLs of a platform's principal. */
    public static List<AclBinding> acls(String platformId) {
        String user = "User:" + principal(platformId);
        ResourcePattern topic =
                new ResourcePattern(ResourceType.TOPIC, topic(platformId), PatternType.LITERAL);
        ResourcePattern cluster =
                new ResourcePattern(ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL);
        return List.of(
                allow(topic, user, AclOperation.WRITE),
                allow(topic, user, AclOperation.DESCRIBE),
                allow(cluster, user, AclOperation.IDEMPOTENT_WRITE));
    }

    private static AclBinding allow(ResourcePattern resource, String user, AclOperation op) {
        return new AclBinding(
                resource, new AccessControlEntry(user, "*", op, AclPermissionType.ALLOW));
    }

    /**
     * Gives the platform's principal a new random password (the previous one stops working) and its
     * ACLs, and returns once the broker applies both.
     */
    public Issued issue(String platformId) {
        String user = principal(platformId);
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        List<AclBinding> acls = acls(platformId);
        run(
                a -> {
                    a.alterUserScramCredentials(
                                    List.of(
                                            new UserScramCredentialUpsertion(
                                                    user,
                                                    new ScramCredentialInfo(
                                                            ScramMechanism.SCRAM_SHA_512,
                                                            config.platformKafka()
                                                                    .scramIterations()),
                                                    password)))
                            .all()
                            .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                    a.createAcls(acls).all().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                    awaitState(a, user, true, acls);
                });
        return new Issued(user, password);
    }

    /**
     * Deletes the platform's credential and every ACL of its principal: connections are refused
     * from now on and an open one may no longer write.
     */
    public void revoke(String platformId) {
        String user = principal(platformId);
        run(
                a -> {
                    a.deleteAcls(List.of(filter(user)))
                            .all()
                            .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                    try {
                        a.alterUserScramCredentials(
                                        List.of(
                                                new UserScramCredentialDeletion(
                                                        user, ScramMechanism.SCRAM_SHA_512)))
                                .all()
                                .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                    } catch (ExecutionException e) {
                        if (!(e.getCause() instanceof ResourceNotFoundException)) {
                            throw e;
                        }
                    }
                    awaitState(a, user, false, List.of());
                });
    }

    private static AclBindingFilter filter(String user) {
        return new AclBindingFilter(
                ResourcePatternFilter.ANY,
                new AccessControlEntryFilter(
                        "User:" + user, null, AclOperation.ANY, AclPermissionType.ANY));
    }

    /**
     * Waits until the broker has applied a change: the controller accepts credentials and ACLs
     * before the broker applies them, and a platform that connected in between would be refused
     * (or, after a revocation, still served), so the answer waits for the broker.
     */
    private static void awaitState(
            Admin a, String user, boolean credential, Collection<AclBinding> acls)
            throws InterruptedException, ExecutionException, TimeoutException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            boolean known;
            try {
                // a user without credentials is described too, with none
                var described =
                        a.describeUserScramCredentials(List.of(user))
                                .all()
                                .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)
                                .get(user);
                known = described != null && !described.credentialInfos().isEmpty();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof ResourceNotFoundException)) {
                    throw e;
                }
                known = false;
            }
            Collection<AclBinding> present =
                    a.describeAcls(filter(user))
                            .values()
                            .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            boolean aclsApplied = acls.isEmpty() ? present.isEmpty() : present.containsAll(acls);
            if (known == credential && aclsApplied) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("the broker has not applied the change of " + user);
            }
            Thread.sleep(20);
        }
    }

    private interface AdminCall {
        void run(Admin admin) throws InterruptedException, ExecutionException, TimeoutException;
    }

    private void run(AdminCall call) {
        try {
            call.run(admin());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaUnavailableException(e);
        } catch (ExecutionException e) {
            closeAdmin();
            throw new KafkaUnavailableException(e.getCause());
        } catch (TimeoutException | RuntimeException e) {
            closeAdmin();
            throw new KafkaUnavailableException(e);
        }
    }

    private synchronized Admin admin() {
        if (admin == null) {
            admin = Admin.create(kafka.properties());
        }
        return admin;
    }

    private synchronized void closeAdmin() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
            admin = null;
        }
    }

    void stop(@Observes ShutdownEvent event) {
        closeAdmin();
    }

    /** The broker could not be reached or refused the change. */
    public static class KafkaUnavailableException extends RuntimeException {
        KafkaUnavailableException(Throwable cause) {
            super("Kafka did not accept the platform's credential: " + cause, cause);
        }
    }
}
