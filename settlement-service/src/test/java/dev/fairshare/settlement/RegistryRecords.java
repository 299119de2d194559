package dev.fairshare.settlement;

import dev.fairshare.localstack.FairshareTestResource;

/**
 * The registry's compacted records as registry-service publishes them, sent straight to the broker:
 * what settlement's replica reads.
 */
final class RegistryRecords {
    private RegistryRecords() {}

    /** A maker, a platform and a model of the maker (MIT, commercial use allowed). */
    static void makerPlatformModel(String makerId, String platformId, String modelId) {
        maker(makerId, "Maker " + makerId);
        platform(platformId, "Platform " + platformId);
        model(modelId, makerId, "Model " + modelId, "mit", true, null, null);
    }

    static void maker(String id, String name) {
        send("registry.makers", id, "{\"id\":\"" + id + "\",\"name\":\"" + name + "\"}");
    }

    static void platform(String id, String name) {
        send("registry.platforms", id, "{\"id\":\"" + id + "\",\"name\":\"" + name + "\"}");
    }

    /** A model; {@code parentId} null for none, else with {@code royaltyShare}. */
    static void model(
            String id,
            String makerId,
            String name,
            String licenseId,
            boolean commercialUse,
            String parentId,
            String royaltyShare) {
        String parents =
                parentId == null
                        ? "[]"
                        : "[{\"modelId\":\""
                                + parentId
                                + "\",\"royaltyShare\":\""
                                + royaltyShare
                                + "\"}]";
        send(
                "registry.models",
                id,
                modelJson(id, makerId, name, licenseId, commercialUse, parents, "[]"));
    }

    /** A model without parents with the given aliases ({@code aliasesJson}, a JSON array). */
    static void modelWithAliases(String id, String makerId, String aliasesJson) {
        send("registry.models", id, modelJson(id, makerId, "M", "mit", true, "[]", aliasesJson));
    }

    private static String modelJson(
            String id,
            String makerId,
            String name,
            String licenseId,
            boolean commercialUse,
            String parentsJson,
            String aliasesJson) {
        return "{\"id\":\""
                + id
                + "\",\"makerId\":\""
                + makerId
                + "\",\"name\":\""
                + name
                + "\",\"license\":{\"id\":\""
                + licenseId
                + "\",\"commercialUse\":"
                + commercialUse
                + "},\"parents\":"
                + parentsJson
                + ",\"aliases\":"
                + aliasesJson
                + "}";
    }

    /**
     * An agreement; {@code modelId} and {@code validTo} may be null, days are {@code yyyy-mm-dd},
     * {@code terms} is the terms' JSON object.
     */
    static void agreement(
            String id,
            String makerId,
            String platformId,
            String modelId,
            String validFrom,
            String validTo,
            String terms) {
        agreement(id, makerId, platformId, modelId, validFrom, validTo, terms, "USD", null);
    }

    /** A USD agreement with a minimum guarantee per period ({@code null} for none). */
    static void agreement(
            String id,
            String makerId,
            String platformId,
            String modelId,
            String validFrom,
            String validTo,
            String terms,
            String minimumGuarantee) {
        agreement(
                id,
                makerId,
                platformId,
                modelId,
                validFrom,
                validTo,
                terms,
                "USD",
                minimumGuarantee);
    }

    /** An agreement in {@code currency}, with a minimum guarantee when it is not null. */
    static void agreement(
            String id,
            String makerId,
            String platformId,
            String modelId,
            String validFrom,
            String validTo,
            String terms,
            String currency,
            String minimumGuarantee) {
        send(
                "registry.agreements",
                id,
                "{\"id\":\""
                        + id
                        + "\",\"makerId\":\""
                        + makerId
                        + "\",\"platformId\":\""
                        + platformId
                        + "\",\"modelId\":"
                        + (modelId == null ? "null" : "\"" + modelId + "\"")
                        + ",\"currency\":\""
                        + currency
                        + "\",\"validFrom\":\""
                        + validFrom
                        + "T00:00:00Z\",\"validTo\":"
                        + (validTo == null ? "null" : "\"" + validTo + "T00:00:00Z\"")
                        + ",\"terms\":"
                        + terms
                        + ",\"minimumGuarantee\":"
                        + (minimumGuarantee == null ? "null" : "\"" + minimumGuarantee + "\"")
                        + "}");
    }

    /** A maker's proposal of a platform alias; {@code decidedAt} null while PROPOSED. */
    static void proposal(
            long id,
            String makerId,
            String modelId,
            String platformId,
            String ref,
            String status,
            String proposedAt,
            String decidedAt) {
        send(
                "registry.alias-proposals",
                Long.toString(id),
                "{\"proposalId\":"
                        + id
                        + ",\"status\":\""
                        + status
                        + "\",\"modelId\":\""
                        + modelId
                        + "\",\"makerId\":\""
                        + makerId
                        + "\",\"platformId\":\""
                        + platformId
                        + "\",\"ref\":\""
                        + ref
                        + "\",\"validFrom\":\"1970-01-01T00:00:00Z\",\"proposedBy\":\""
                        + makerId
                        + "\",\"proposedAt\":\""
                        + proposedAt
                        + "\",\"decidedBy\":"
                        + (decidedAt == null ? "null" : "\"platform-" + platformId + "\"")
                        + ",\"decidedAt\":"
                        + (decidedAt == null ? "null" : "\"" + decidedAt + "\"")
                        + ",\"reason\":null}");
    }

    static final String REVENUE_SHARE_20 = "{\"type\":\"REVENUE_SHARE\",\"rate\":\"0.2\"}";

    private static void send(String topic, String key, String value) {
        FairshareTestResource.infrastructure().broker().send(topic, key, value);
    }
}
