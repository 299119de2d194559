package dev.fairshare.registry.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * The bodies of {@code POST /aliases/reattribute} and its {@code registry.reattributions} message.
 */
public final class ReattributionDto {
    private ReattributionDto() {}

    /**
     * From the whole UTC day {@code from} on, the ref's usage in its scope is {@code toModelId}'s.
     */
    public record Request(
            String ref, String platformId, String toModelId, String from, String reason) {}

    /**
     * The answer: the dispute's id, and the model the scope's alias at {@code from} pointed to
     * before (null when the dispute added the alias).
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Accepted(
            String disputeId,
            String status,
            String ref,
            String platformId,
            String toModelId,
            String from,
            String reason,
            String replacedModelId) {}

    /**
     * The message of {@code registry.reattributions} (key: the dispute id). {@code
     * registryVersions} names each {@code registry.models} record written with the dispute (model
     * id → its {@code outbox-id}): a reader applies the dispute once its registry copy holds them.
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Message(
            String disputeId,
            String ref,
            String platformId,
            String toModelId,
            String from,
            String reason,
            Map<String, Long> registryVersions,
            String createdAt) {}
}
