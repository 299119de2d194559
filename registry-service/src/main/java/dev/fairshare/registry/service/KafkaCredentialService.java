package dev.fairshare.registry.service;

import dev.fairshare.registry.config.RegistryConfig;
import dev.fairshare.registry.kafka.PlatformCredentials;
import dev.fairshare.registry.problem.ProblemException;
import dev.fairshare.registry.store.PlatformRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Issues and revokes a platform's Kafka credentials, like an API key: the password is in the answer
 * that issues it and nowhere else (the broker keeps a salted hash), a new issue replaces it, and a
 * revocation ends it. A new issue and a revocation are each one audit entry, never with the
 * password; the first issue belongs to the platform's creation and its entry.
 */
@ApplicationScoped
public class KafkaCredentialService {
    @Inject PlatformRepository platforms;
    @Inject PlatformCredentials credentials;
    @Inject Audit audit;
    @Inject RegistryConfig config;

    /** A new credential for an existing platform (the previous one stops working). */
    @Transactional
    public Dto.KafkaCredentials issue(String platformId) {
        if (platforms.findById(platformId) == null) {
            throw ProblemException.notFound("platform", platformId);
        }
        Dto.KafkaCredentials view = issueFor(platformId);
        audit.record(
                "kafka-credential",
                platformId,
                "ISSUE",
                null,
                auditView(view),
                null,
                Audit.Parties.platform(platformId));
        return view;
    }

    /**
     * Issues the credential of a platform (being onboarded, inside the caller's transaction, whose
     * audit entry it belongs to).
     */
    Dto.KafkaCredentials issueFor(String platformId) {
        PlatformCredentials.Issued issued;
        try {
            issued = credentials.issue(platformId);
        } catch (PlatformCredentials.KafkaUnavailableException e) {
            throw unavailable(e);
        }
        return new Dto.KafkaCredentials(
                issued.username(),
                issued.password(),
                config.platformKafka().bootstrapServers(),
                config.platformKafka().securityProtocol(),
                "SCRAM-SHA-512",
                PlatformCredentials.topic(platformId),
                Instant.now().toString());
    }

    /** Revokes the platform's credential and ACLs: it can no longer connect or write. */
    @Transactional
    public void revoke(String platformId) {
        if (platforms.findById(platformId) == null) {
            throw ProblemException.notFound("platform", platformId);
        }
        try {
            credentials.revoke(platformId);
        } catch (PlatformCredentials.KafkaUnavailableException e) {
            throw unavailable(e);
        }
        Map<String, String> after = new LinkedHashMap<>();
        after.put("username", PlatformCredentials.principal(platformId));
        after.put("revokedAt", Instant.now().toString());
        audit.record(
                "kafka-credential",
                platformId,
                "REVOKE",
                null,
                after,
                null,
                Audit.Parties.platform(platformId));
    }

    /** What the audit log keeps of an issued credential: everything but the password. */
    private static Map<String, String> auditView(Dto.KafkaCredentials c) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("username", c.username());
        m.put("topic", c.topic());
        m.put("issuedAt", c.issuedAt());
        return m;
    }

    private static ProblemException unavailable(RuntimeException e) {
        return new ProblemException(
                503,
                "KAFKA_UNAVAILABLE",
                "the broker did not accept the change; nothing was changed, try again: "
                        + e.getCause().getClass().getSimpleName());
    }
}
