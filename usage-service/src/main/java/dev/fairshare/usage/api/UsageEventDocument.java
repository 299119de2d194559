package dev.fairshare.usage.api;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A usage event as a platform sends it (DESIGN.md "The usage event"), for the OpenAPI document and
 * the clients generated from it. The ingestion path reads the bytes itself, so that one malformed
 * event is a {@code rejected} entry and never fails its batch.
 */
@Schema(
        name = "UsageEvent",
        requiredProperties = {"eventId", "modelRef", "occurredAt"})
public record UsageEventDocument(
        @Schema(description = "the idempotency key, unique per platform") String eventId,
        @Schema(description = "stamped from the token when absent; another platform's is rejected")
                String platformId,
        @Schema(description = "a model id or an alias") String modelRef,
        @Schema(format = "date-time", description = "ISO-8601 UTC") String occurredAt,
        @Schema(enumeration = {"COMMERCIAL", "NON_COMMERCIAL"}) String customerType,
        @Schema(description = "non-negative decimals by unit name") Map<String, BigDecimal> units,
        Money revenue,
        @Schema(
                        maxLength = 128,
                        pattern = "^[!-~]{1,128}$",
                        description =
                                "a pseudonymous subscriber of a subscription platform (pooled usage): 1 to 128"
                                        + " printable ASCII characters without spaces; never shown to makers;"
                                        + " BAD_SUBSCRIBER_ID otherwise")
                String subscriberId,
        @Schema(
                        nullable = true,
                        minItems = 1,
                        description =
                                "a pipeline: weights sum to 1; absent or null for a single model"
                                        + " (an empty array is rejected)")
                List<Component> components) {

    /** A decimal string in an ISO 4217 currency. */
    @Schema(name = "Revenue")
    public record Money(
            @Schema(type = SchemaType.STRING, description = "a decimal string, never a float")
                    String amount,
            @Schema(description = "ISO 4217") String currency) {}

    /** One model of a pipeline and its weight. */
    public record Component(
            String modelRef, @Schema(description = "a decimal string") String weight) {}
}
