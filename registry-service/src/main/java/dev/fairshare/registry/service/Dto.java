package dev.fairshare.registry.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The registry's request and response bodies. The views are also the payloads of the compacted
 * {@code registry.*} topics (the whole entity as JSON); decimals travel as strings.
 */
public final class Dto {
    private Dto() {}

    public record MakerRequest(String id, String name) {}

    public record MakerView(String id, String name, String createdAt) {}

    public record PlatformRequest(String id, String name) {}

    public record PlatformView(String id, String name, String createdAt) {}

    /**
     * A platform's Kafka credentials: SASL/SCRAM-SHA-512 as {@code username} with {@code password}
     * (shown once), to write usage events to {@code topic} only.
     */
    public record KafkaCredentials(
            String username,
            String password,
            String bootstrapServers,
            String securityProtocol,
            String saslMechanism,
            String topic,
            String issuedAt) {}

    /** The answer to onboarding: the platform and its Kafka credentials (shown once). */
    public record PlatformOnboarded(
            String id, String name, String createdAt, KafkaCredentials kafka) {}

    public record License(String id, Boolean commercialUse) {}

    public record ParentRef(String modelId, String royaltyShare) {}

    public record ModelRequest(
            String id, String makerId, String name, License license, List<ParentRef> parents) {}

    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record AliasView(String ref, String platformId, String validFrom) {}

    /** {@code reason} is required where DESIGN.md "Who may name a model" asks for one. */
    public record AliasRequest(String ref, String platformId, String validFrom, String reason) {}

    public record NamespaceRequest(String prefix) {}

    public record NamespaceView(String prefix, String makerId, String createdAt) {}

    /** A maker's proposal for a platform alias, and what the platform (or ADMIN) decided. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record ProposalView(
            long proposalId,
            String status,
            String modelId,
            String makerId,
            String platformId,
            String ref,
            String validFrom,
            String proposedBy,
            String proposedAt,
            @Schema(nullable = true) String decidedBy,
            @Schema(nullable = true) String decidedAt,
            @Schema(nullable = true) String reason) {}

    /** Accepting or rejecting a proposal; {@code reason} is optional unless the alias re-points. */
    public record DecisionRequest(String reason) {}

    /**
     * One audit entry: {@code before} and {@code after} are the entity's JSON (null when absent).
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record AuditEntryView(
            long id,
            String at,
            String actor,
            String role,
            String entityType,
            String entityId,
            String action,
            com.fasterxml.jackson.databind.JsonNode before,
            com.fasterxml.jackson.databind.JsonNode after,
            String reason) {}

    public record ModelView(
            String id,
            String makerId,
            String name,
            License license,
            List<ParentRef> parents,
            List<AliasView> aliases,
            String createdAt) {}

    /**
     * A node of the ancestor tree: {@code effectiveShare} is the product of shares along the path.
     */
    public record LineageNode(
            String modelId,
            String makerId,
            String royaltyShare,
            String effectiveShare,
            List<LineageNode> parents) {}

    public record Lineage(String modelId, String makerId, List<LineageNode> parents) {}

    public record TierDto(
            @Schema(nullable = true, description = "null: the last tier, unbounded") String upTo,
            String price) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Terms(
            String type, String rate, String metric, String unitSize, List<TierDto> tiers) {}

    public record AgreementRequest(
            String id,
            String makerId,
            String platformId,
            String modelId,
            String currency,
            String validFrom,
            String validTo,
            Terms terms,
            String minimumGuarantee) {}

    /**
     * An agreement as it stands: the fields of its request (validTo as ended), and createdAt, in
     * the order of the request's fields.
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonPropertyOrder({
        "id",
        "makerId",
        "platformId",
        "modelId",
        "currency",
        "validFrom",
        "validTo",
        "terms",
        "minimumGuarantee",
        "createdAt"
    })
    public record AgreementView(@JsonUnwrapped AgreementRequest agreement, String createdAt) {}

    public record EndAgreementRequest(String validTo) {}

    public record TokenRequest(String username, String password, String apiKey) {}

    public record TokenResponse(String accessToken, String tokenType, long expiresIn) {}

    public record AccountRequest(
            String username, String password, String role, String makerId, String platformId) {}

    /** An account; {@code disabledAt} is null while it may sign in. */
    public record AccountView(
            String username,
            String role,
            String makerId,
            String platformId,
            String createdAt,
            String disabledAt) {}

    /** A new password; {@code oldPassword} is required unless an ADMIN sets it. */
    public record PasswordChange(String oldPassword, String newPassword) {}

    /** A new API key: {@code apiKey} is shown here once and never again. */
    public record ApiKeyCreated(String apiKey, String keyId, String platformId, String createdAt) {}

    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record ApiKeyView(String keyId, String platformId, String createdAt, String revokedAt) {}
}
