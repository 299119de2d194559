package dev.fairshare.usage.domain;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Currency;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns one JSON usage event into a {@link UsageEvent} or the list of its violations. The same
 * rules serve the HTTP edge and the Kafka consumer.
 */
public final class EventValidator {
    public static final int MAX_ID_LENGTH = 200;

    /** Decimals that {@code numeric(38, 18)} keeps exactly. */
    public static final int MAX_SCALE = 18;

    /** Integer digits that {@code numeric(38, 18)} keeps. */
    public static final int MAX_INTEGER_DIGITS = 20;

    /** A decimal that {@code numeric(38, 18)} stores exactly. */
    static boolean storable(BigDecimal d) {
        return d.scale() <= MAX_SCALE && d.precision() - d.scale() <= MAX_INTEGER_DIGITS;
    }

    /** Characters a subscriberId may have at most. */
    public static final int MAX_SUBSCRIBER_ID_LENGTH = 128;

    static final String SUBSCRIBER_ID_RULE =
            "subscriberId must be 1 to "
                    + MAX_SUBSCRIBER_ID_LENGTH
                    + " printable ASCII characters without spaces (U+0021 to U+007E)";

    /**
     * Whether {@code s} is a subscriberId: 1 to 128 printable ASCII characters without spaces, so
     * that a pseudonym (a hash, a UUID, a platform's own id) always fits and a name or an e-mail
     * with spaces, accents or control characters never slips through unnoticed.
     */
    static boolean isSubscriberId(String s) {
        int n = s.length();
        if (n == 0 || n > MAX_SUBSCRIBER_ID_LENGTH) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < '!' || c > '~') {
                return false;
            }
        }
        return true;
    }

    static final Set<String> CUSTOMER_TYPES = Set.of("COMMERCIAL", "NON_COMMERCIAL");

    /** Bytes an event may take as sent (a usage event takes a few hundred). */
    public static final int DEFAULT_MAX_EVENT_BYTES = 64 * 1024;

    private final Clock clock;
    private final Duration maxAge;
    private final Duration maxFuture;
    private final int maxEventBytes;

    public EventValidator(Clock clock, Duration maxAge, Duration maxFuture) {
        this(clock, maxAge, maxFuture, DEFAULT_MAX_EVENT_BYTES);
    }

    public EventValidator(Clock clock, Duration maxAge, Duration maxFuture, int maxEventBytes) {
        this.clock = clock;
        this.maxAge = maxAge;
        this.maxFuture = maxFuture;
        this.maxEventBytes = maxEventBytes;
    }

    /**
     * {@code EVENT_TOO_LARGE} when an event takes more than the limit as sent (as written to
     * Kafka), else null. Judged on the bytes before anything else: one large event must not fail
     * the request or the batch it came with (Kafka refuses a record above its own limit).
     */
    public EventError tooLarge(int bytes) {
        return bytes <= maxEventBytes
                ? null
                : new EventError(
                        "EVENT_TOO_LARGE",
                        null,
                        "the event takes " + bytes + " bytes; at most " + maxEventBytes);
    }

    /** The instant events are judged against when no arrival time is given. */
    public Instant now() {
        return clock.instant();
    }

    /** The outcome: exactly one of {@code event} and {@code errors} is meaningful. */
    public record Result(UsageEvent event, List<EventError> errors) {
        public boolean valid() {
            return errors.isEmpty();
        }
    }

    /**
     * Validates {@code node}; {@code expectedPlatform} (the token's or the topic's platform) may be
     * null when the platform is taken from the event itself.
     */
    public Result validate(JsonNode node, String expectedPlatform) {
        return validate(node, expectedPlatform, clock.instant());
    }

    /**
     * Validates against the time horizon around {@code now}: the arrival time of the event (the
     * Kafka record's timestamp), so that a backlog is judged as it was when it arrived.
     */
    public Result validate(JsonNode node, String expectedPlatform, Instant now) {
        List<EventError> errors = new ArrayList<>();
        if (node == null || !node.isObject()) {
            errors.add(
                    new EventError("MALFORMED_JSON", null, "a usage event must be a JSON object"));
            return new Result(null, errors);
        }
        String eventId = eventId(node, errors);
        String platformId = platformId(node, expectedPlatform, errors);
        String modelRef = text(node, "modelRef", errors);
        Instant occurredAt = occurredAt(node, now, errors);
        String customerType = customerType(node, errors);
        Map<String, BigDecimal> units = units(node.get("units"), errors);
        Money revenue = revenue(node.get("revenue"), errors);
        List<UsageEvent.Component> components = components(node.get("components"), errors);
        String subscriberId = subscriberId(node.get("subscriberId"), errors);
        if (!errors.isEmpty()) {
            return new Result(null, errors);
        }
        return new Result(
                new UsageEvent(
                        eventId,
                        platformId,
                        modelRef,
                        occurredAt,
                        customerType,
                        units,
                        revenue.amount(),
                        revenue.currency(),
                        components,
                        subscriberId),
                List.of());
    }

    private static String eventId(JsonNode node, List<EventError> errors) {
        String eventId = text(node, "eventId", errors);
        if (eventId != null && eventId.length() > MAX_ID_LENGTH) {
            errors.add(
                    new EventError(
                            "INVALID_VALUE", "eventId", "eventId is longer than " + MAX_ID_LENGTH));
        }
        return eventId;
    }

    /** The event's platform, which must be the sender's when the sender is known. */
    private static String platformId(
            JsonNode node, String expectedPlatform, List<EventError> errors) {
        String platformId = text(node, "platformId", errors);
        if (platformId != null
                && expectedPlatform != null
                && !platformId.equals(expectedPlatform)) {
            errors.add(
                    new EventError(
                            "PLATFORM_MISMATCH",
                            "platformId",
                            "platformId '"
                                    + platformId
                                    + "' is not the sender's platform '"
                                    + expectedPlatform
                                    + "'"));
        }
        return platformId;
    }

    private static String customerType(JsonNode node, List<EventError> errors) {
        String customerType = text(node, "customerType", errors);
        if (customerType != null && !CUSTOMER_TYPES.contains(customerType)) {
            errors.add(
                    new EventError(
                            "BAD_CUSTOMER_TYPE",
                            "customerType",
                            "customerType must be COMMERCIAL or NON_COMMERCIAL"));
        }
        return customerType;
    }

    /** An amount and its currency (either null when it is missing or wrong). */
    private record Money(BigDecimal amount, String currency) {}

    /** The required {@code revenue}: an object {amount, currency} with an ISO 4217 code. */
    private static Money revenue(JsonNode rev, List<EventError> errors) {
        if (rev == null || rev.isNull()) {
            errors.add(new EventError("MISSING_FIELD", "revenue", "revenue is required"));
            return new Money(null, null);
        }
        if (!rev.isObject()) {
            errors.add(
                    new EventError(
                            "INVALID_VALUE",
                            "revenue",
                            "revenue must be an object {amount, currency}"));
            return new Money(null, null);
        }
        BigDecimal amount = amount(rev.get("amount"), errors);
        String currency = text(rev, "currency", "revenue.currency", errors);
        if (currency != null && !isCurrency(currency)) {
            errors.add(
                    new EventError(
                            "BAD_CURRENCY",
                            "revenue.currency",
                            "'" + currency + "' is not an ISO 4217 code"));
            currency = null;
        }
        return new Money(amount, currency);
    }

    /** The optional subscriberId: absent or null is none; anything else must follow the rule. */
    private static String subscriberId(JsonNode v, List<EventError> errors) {
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual() || !isSubscriberId(v.asText())) {
            return refused(errors, "BAD_SUBSCRIBER_ID", "subscriberId", SUBSCRIBER_ID_RULE);
        }
        return v.asText();
    }

    private static String text(JsonNode node, String field, List<EventError> errors) {
        return text(node, field, field, errors);
    }

    private static String text(JsonNode node, String field, String path, List<EventError> errors) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return refused(errors, "MISSING_FIELD", path, path + " is required");
        }
        if (!v.isTextual()) {
            return refused(errors, "INVALID_VALUE", path, path + " must be a string");
        }
        if (v.asText().isBlank()) {
            return refused(errors, "MISSING_FIELD", path, path + " must not be blank");
        }
        if (v.asText().indexOf('\u0000') >= 0) {
            return refused(
                    errors, "INVALID_VALUE", path, path + " must not contain NUL characters");
        }
        return v.asText();
    }

    private Instant occurredAt(JsonNode node, Instant now, List<EventError> errors) {
        JsonNode v = node.get("occurredAt");
        if (v == null || v.isNull()) {
            return refused(errors, "MISSING_FIELD", "occurredAt", "occurredAt is required");
        }
        Instant at;
        try {
            // PostgreSQL keeps microseconds: the instant stored is the instant rolled up
            at = Instant.parse(v.asText()).truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        } catch (DateTimeParseException e) {
            return refused(
                    errors,
                    "BAD_TIMESTAMP",
                    "occurredAt",
                    "occurredAt must be an ISO-8601 UTC instant");
        }
        if (withinHorizon(at, now)) {
            return at;
        }
        if (at.isBefore(now.minus(maxAge))) {
            errors.add(
                    new EventError(
                            "EVENT_TOO_OLD",
                            "occurredAt",
                            "occurredAt is older than " + maxAge.toDays() + " days"));
        } else if (at.isAfter(now.plus(maxFuture))) {
            errors.add(
                    new EventError(
                            "EVENT_IN_FUTURE",
                            "occurredAt",
                            "occurredAt is more than "
                                    + maxFuture.toMinutes()
                                    + " minutes in the future"));
        }
        return at;
    }

    /** Neither older than the horizon nor further in the future than the allowed skew. */
    boolean withinHorizon(Instant at, Instant now) {
        return !at.isBefore(now.minus(maxAge)) && !at.isAfter(now.plus(maxFuture));
    }

    private static Map<String, BigDecimal> units(JsonNode units, List<EventError> errors) {
        Map<String, BigDecimal> out = new LinkedHashMap<>();
        if (units == null || units.isNull()) {
            return out;
        }
        if (!units.isObject()) {
            errors.add(
                    new EventError(
                            "INVALID_VALUE",
                            "units",
                            "units must be an object of unit name to quantity"));
            return out;
        }
        Iterator<Map.Entry<String, JsonNode>> it = units.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String field = "units." + e.getKey();
            BigDecimal q = number(e.getValue());
            if (q == null || !storable(q) || e.getKey().indexOf('\u0000') >= 0) {
                errors.add(
                        new EventError(
                                "BAD_UNITS",
                                field,
                                field
                                        + " must be a decimal number with at most "
                                        + MAX_SCALE
                                        + " decimals"));
            } else if (q.signum() < 0) {
                errors.add(
                        new EventError("NEGATIVE_UNITS", field, field + " must not be negative"));
            } else {
                out.put(e.getKey(), q);
            }
        }
        return out;
    }

    /** A JSON number or decimal string, exactly as written (never through double). */
    static BigDecimal number(JsonNode v) {
        if (v == null) {
            return null;
        }
        try {
            if (v.isNumber()) {
                return new BigDecimal(v.asText());
            }
        } catch (NumberFormatException e) {
            return null;
        }
        return v.isTextual() ? number(v.asText()) : null;
    }

    /** A decimal string (surrounding spaces ignored), or null. */
    static BigDecimal number(String s) {
        try {
            return new BigDecimal(s.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static BigDecimal amount(JsonNode v, List<EventError> errors) {
        if (v == null || v.isNull()) {
            return refused(errors, "MISSING_FIELD", "revenue.amount", "revenue.amount is required");
        }
        if (!v.isTextual()) {
            return refused(
                    errors,
                    "BAD_AMOUNT",
                    "revenue.amount",
                    "revenue.amount must be a decimal string such as \"0.0123\", never a float");
        }
        BigDecimal a = number(v);
        if (a == null || !storable(a)) {
            return refused(
                    errors,
                    "BAD_AMOUNT",
                    "revenue.amount",
                    "revenue.amount must be a decimal string");
        }
        if (a.signum() < 0) {
            return refused(
                    errors,
                    "NEGATIVE_REVENUE",
                    "revenue.amount",
                    "revenue.amount must not be negative");
        }
        return a;
    }

    private static List<UsageEvent.Component> components(JsonNode v, List<EventError> errors) {
        if (v == null || v.isNull()) {
            return List.of();
        }
        if (!v.isArray() || v.isEmpty()) {
            errors.add(
                    new EventError(
                            "INVALID_VALUE", "components", "components must be a non-empty array"));
            return List.of();
        }
        List<UsageEvent.Component> out = new ArrayList<>();
        BigDecimal sum = BigDecimal.ZERO;
        boolean ok = true;
        for (int i = 0; i < v.size(); i++) {
            JsonNode c = v.get(i);
            String f = "components[" + i + "]";
            if (!c.isObject()) {
                errors.add(
                        new EventError(
                                "INVALID_VALUE", f, f + " must be an object {modelRef, weight}"));
                ok = false;
                continue;
            }
            String ref = text(c, "modelRef", f + ".modelRef", errors);
            BigDecimal w = number(c.get("weight"));
            if (w == null) {
                errors.add(
                        new EventError(
                                c.get("weight") == null ? "MISSING_FIELD" : "INVALID_VALUE",
                                f + ".weight",
                                f + ".weight must be a decimal"));
                ok = false;
            } else if (w.signum() <= 0 || w.compareTo(BigDecimal.ONE) > 0) {
                errors.add(
                        new EventError(
                                "INVALID_WEIGHT", f + ".weight", f + ".weight must be in (0, 1]"));
                ok = false;
            } else {
                sum = sum.add(w);
            }
            if (ref == null) {
                ok = false;
            }
            out.add(new UsageEvent.Component(ref, w));
        }
        if (ok && sum.compareTo(BigDecimal.ONE) != 0) {
            errors.add(
                    new EventError(
                            "WEIGHTS_DONT_SUM_TO_ONE",
                            "components",
                            "component weights sum to " + sum.toPlainString() + ", not 1"));
        }
        return out;
    }

    /** Adds the violation of a field to {@code errors}; answers null, the field's value then. */
    private static <T> T refused(
            List<EventError> errors, String code, String field, String message) {
        errors.add(new EventError(code, field, message));
        return null;
    }

    static boolean isCurrency(String code) {
        if (code.length() != 3) {
            return false;
        }
        try {
            Currency.getInstance(code);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
