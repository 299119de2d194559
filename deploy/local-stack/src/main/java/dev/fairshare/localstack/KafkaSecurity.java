package dev.fairshare.localstack;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.resource.ResourcePattern;

/**
 * How the local broker authenticates and authorizes, the same way as production: every client
 * authenticates with SASL/SCRAM-SHA-512 (over plaintext on loopback here, over TLS in production)
 * and the KRaft {@code StandardAuthorizer} refuses whatever no ACL allows.
 *
 * <p>The broker's own connections (to its controller, to itself) authenticate as the super user
 * {@link #SUPER_USER} with SASL/PLAIN and a secret made for this broker: SCRAM credentials live in
 * the cluster metadata, so the broker cannot use one before it has read them. The services'
 * credentials are fixed local passwords (not for production), the platforms' are made by the
 * registry when it onboards them.
 */
public final class KafkaSecurity {
    /** The broker's own principal: a super user, for the broker and the local stack's set-up. */
    public static final String SUPER_USER = "fairshare-broker";

    public static final String MECHANISM = "SCRAM-SHA-512";

    /** Iterations of the SCRAM credentials the local stack creates (Kafka's minimum is 4096). */
    static final int ITERATIONS = 4096;

    private KafkaSecurity() {}

    /** The local (test and development) password of a service principal. */
    public static String localPassword(String principal) {
        return principal + "-local-secret";
    }

    /**
     * The broker settings for a client listener and a controller listener, both SASL_PLAINTEXT:
     * SCRAM-SHA-512 for clients, PLAIN for the super user only, and the StandardAuthorizer with
     * {@code allow.everyone.if.no.acl.found=false}.
     */
    public static Map<String, String> brokerConfig(
            String clientListener, String controllerListener, String superUserSecret) {
        String client = "listener.name." + clientListener.toLowerCase() + ".";
        String controller = "listener.name." + controllerListener.toLowerCase() + ".";
        String plain =
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
                        + SUPER_USER
                        + "\" password=\""
                        + superUserSecret
                        + "\" user_"
                        + SUPER_USER
                        + "=\""
                        + superUserSecret
                        + "\";";
        Map<String, String> c = new LinkedHashMap<>();
        c.put("sasl.enabled.mechanisms", MECHANISM);
        c.put(client + "sasl.enabled.mechanisms", MECHANISM + ",PLAIN");
        c.put(
                client + "scram-sha-512.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        c.put(client + "plain.sasl.jaas.config", plain);
        c.put(controller + "sasl.enabled.mechanisms", "PLAIN");
        c.put(controller + "plain.sasl.jaas.config", plain);
        c.put("sasl.mechanism.inter.broker.protocol", "PLAIN");
        c.put("sasl.mechanism.controller.protocol", "PLAIN");
        c.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        c.put("allow.everyone.if.no.acl.found", "false");
        c.put("super.users", "User:" + SUPER_USER);
        // a credential that is changed or deleted stops working on open connections within a minute
        c.put("connections.max.reauth.ms", "60000");
        return c;
    }

    /** Client properties of a SCRAM principal. */
    public static Map<String, Object> scramClient(
            String bootstrapServers, String username, String password) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
        p.put(SaslConfigs.SASL_MECHANISM, MECHANISM);
        p.put(
                SaslConfigs.SASL_JAAS_CONFIG,
                "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                        + username
                        + "\" password=\""
                        + password
                        + "\";");
        return p;
    }

    /**
     * The client properties of {@code principal} on a broker set up by {@link #brokerConfig}: a
     * service principal with its local password, or {@link #SUPER_USER}.
     */
    public static Map<String, Object> clientProperties(
            String bootstrapServers, String principal, String superUserSecret) {
        if (principal.equals(SUPER_USER)) {
            return superUserClient(bootstrapServers, superUserSecret);
        }
        return scramClient(bootstrapServers, principal, localPassword(principal));
    }

    /** Client properties of the super user (PLAIN). */
    static Map<String, Object> superUserClient(String bootstrapServers, String superUserSecret) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
        p.put(SaslConfigs.SASL_MECHANISM, "PLAIN");
        p.put(
                SaslConfigs.SASL_JAAS_CONFIG,
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
                        + SUPER_USER
                        + "\" password=\""
                        + superUserSecret
                        + "\";");
        return p;
    }

    /** The ACL bindings that allow {@code grants} to {@code principal}. */
    public static List<AclBinding> bindings(String principal, List<Topics.Grant> grants) {
        List<AclBinding> acls = new ArrayList<>();
        for (Topics.Grant g : grants) {
            for (AclOperation op : g.operations()) {
                acls.add(
                        new AclBinding(
                                new ResourcePattern(g.type(), g.name(), g.pattern()),
                                new AccessControlEntry(
                                        "User:" + principal, "*", op, AclPermissionType.ALLOW)));
            }
        }
        return acls;
    }

    /**
     * Waits until the broker knows the users' credentials and the ACLs: the controller accepts them
     * before the broker has applied them, and a client that connects in between is refused.
     */
    static void awaitApplied(Admin admin, java.util.Collection<String> users, List<AclBinding> acls)
            throws InterruptedException, ExecutionException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (true) {
            var described = admin.describeUserScramCredentials(List.copyOf(users)).all();
            boolean ready;
            try {
                // a user without credentials is described too, with none
                var credentials = described.get();
                ready =
                        users.stream()
                                        .allMatch(
                                                u ->
                                                        credentials.containsKey(u)
                                                                && !credentials
                                                                        .get(u)
                                                                        .credentialInfos()
                                                                        .isEmpty())
                                && admin.describeAcls(
                                                org.apache.kafka.common.acl.AclBindingFilter.ANY)
                                        .values()
                                        .get()
                                        .containsAll(acls);
            } catch (ExecutionException e) {
                ready = false;
            }
            if (ready) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the broker has not applied " + users + " in 30 s");
            }
            Thread.sleep(20);
        }
    }

    /**
     * Gives every service its SCRAM credential (its local password) and its ACLs, as the super
     * user; idempotent.
     */
    public static void provisionServices(Map<String, Object> superUser) {
        try (Admin admin = Admin.create(superUser)) {
            List<UserScramCredentialUpsertion> users = new ArrayList<>();
            List<AclBinding> acls = new ArrayList<>();
            for (var e : Topics.SERVICE_GRANTS.entrySet()) {
                users.add(
                        new UserScramCredentialUpsertion(
                                e.getKey(),
                                new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, ITERATIONS),
                                localPassword(e.getKey())));
                acls.addAll(bindings(e.getKey(), e.getValue()));
            }
            admin.alterUserScramCredentials(new ArrayList<>(users)).all().get();
            admin.createAcls(acls).all().get();
            awaitApplied(admin, Topics.SERVICE_GRANTS.keySet(), acls);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "could not create the services' Kafka credentials", e.getCause());
        }
    }
}
