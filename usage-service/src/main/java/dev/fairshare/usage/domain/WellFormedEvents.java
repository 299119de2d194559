package dev.fairshare.usage.domain;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The hot path's reader: turns a well-formed, valid usage event into a {@link UsageEvent} in one
 * streaming pass, without a JSON tree. Anything unusual — a rule broken, a field twice, a float
 * written with an exponent, JSON that does not parse — answers {@code null}, and the caller asks
 * {@link EventValidator} (which says what is wrong, or accepts it). It never accepts what the
 * validator refuses and, what it accepts, it reads exactly as the validator does: {@code
 * WellFormedEventsTest} checks both on generated events.
 */
public final class WellFormedEvents {
    private static final JsonFactory JSON = new JsonFactory();

    /** Model references, customer types and currencies, one copy each. */
    static final CanonicalStrings SHARED = new CanonicalStrings(10_000, 256);

    private final EventValidator validator;

    public WellFormedEvents(EventValidator validator) {
        this.validator = validator;
    }

    /**
     * The event of {@code json} if it is well formed and valid against {@code expectedPlatform}
     * (null: any) and the time horizon around {@code now}; otherwise null.
     */
    public UsageEvent read(byte[] json, String expectedPlatform, Instant now) {
        if (json == null) {
            return null;
        }
        try (JsonParser p = JSON.createParser(json)) {
            return event(p, expectedPlatform, now);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * The event of the object whose {@code START_OBJECT} is {@code p}'s current token (an element
     * of a JSON array), judged as {@link #read} judges it; the parser is left on the object's
     * {@code END_OBJECT} either way. JSON that does not parse throws: the whole body is not JSON.
     */
    public UsageEvent readObject(JsonParser p, String expectedPlatform, Instant now)
            throws IOException {
        JsonStreamContext outer = p.getParsingContext().getParent();
        UsageEvent event;
        try {
            event = fields(p, expectedPlatform, now);
        } catch (RuntimeException e) {
            event = null;
        }
        // a refused event may stop anywhere inside its object: the rest of it is skipped
        while (p.getParsingContext() != outer) {
            if (p.nextToken() == null) {
                throw new JsonParseException(p, "the JSON array is not closed");
            }
        }
        return event;
    }

    private UsageEvent event(JsonParser p, String expectedPlatform, Instant now)
            throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            return null;
        }
        return fields(p, expectedPlatform, now);
    }

    /**
     * The event whose fields follow {@code p}'s current {@code START_OBJECT}, or null: each field
     * read once and by its own rule, the required ones present, the event's rules kept, occurredAt
     * an instant within the horizon.
     */
    private UsageEvent fields(JsonParser p, String expectedPlatform, Instant now)
            throws IOException {
        Draft draft = new Draft();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
            String field = p.currentName();
            if (!draft.read(field, p, p.nextToken())) {
                return null;
            }
        }
        if (!draft.complete() || !draft.valid(expectedPlatform)) {
            return null;
        }
        Instant at = instant(draft.occurredAt);
        if (at == null || !validator.withinHorizon(at, now)) {
            return null;
        }
        return draft.event(expectedPlatform, at);
    }

    /** {@code occurredAt} to the microsecond, or null when it is not an ISO-8601 instant. */
    private static Instant instant(String occurredAt) {
        Instant at = isoInstant(occurredAt);
        if (at == null) {
            try {
                at = Instant.parse(occurredAt);
            } catch (DateTimeParseException e) {
                return null;
            }
        }
        return at.truncatedTo(ChronoUnit.MICROS);
    }

    /** What the fields of one event said so far. A field that comes twice refuses the event. */
    private static final class Draft {
        String eventId;
        String platformId;
        String modelRef;
        String occurredAt;
        String customerType;
        Map<String, BigDecimal> units;
        boolean revenueSeen;
        BigDecimal revenue;
        String currency;
        boolean componentsSeen;
        List<UsageEvent.Component> components;
        boolean subscriberSeen;
        String subscriberId;

        /** Reads the value {@code v} of {@code field}; false when it breaks the field's rule. */
        boolean read(String field, JsonParser p, JsonToken v) throws IOException {
            return switch (field) {
                case "eventId" -> eventId == null && (eventId = text(p, v)) != null;
                case "platformId" -> platformId == null && (platformId = text(p, v)) != null;
                case "modelRef" -> modelRef == null && (modelRef = text(p, v)) != null;
                case "occurredAt" -> occurredAt == null && (occurredAt = string(p, v)) != null;
                case "customerType" -> customerType == null && (customerType = text(p, v)) != null;
                case "units" -> units == null && (units = units(p, v)) != null;
                case "revenue" -> !revenueSeen && readRevenue(p, v);
                case "components" -> !componentsSeen && readComponents(p, v);
                case "subscriberId" -> !subscriberSeen && readSubscriber(p, v);
                default -> {
                    p.skipChildren();
                    yield true;
                }
            };
        }

        /** {@code {"amount": "<decimal string>", "currency": "<text>"}}, other fields ignored. */
        private boolean readRevenue(JsonParser p, JsonToken v) throws IOException {
            revenueSeen = true;
            if (v != JsonToken.START_OBJECT) {
                return false;
            }
            for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
                String name = p.currentName();
                JsonToken rv = p.nextToken();
                boolean read =
                        switch (name) {
                            case "amount" -> revenue == null && (revenue = amount(p, rv)) != null;
                            case "currency" -> currency == null && (currency = text(p, rv)) != null;
                            default -> {
                                p.skipChildren();
                                yield true;
                            }
                        };
                if (!read) {
                    return false;
                }
            }
            return true;
        }

        /** null, or weighted model refs whose weights add up to one. */
        private boolean readComponents(JsonParser p, JsonToken v) throws IOException {
            componentsSeen = true;
            return v == JsonToken.VALUE_NULL || (components = components(p, v)) != null;
        }

        /** null, or a subscriber id as the validator takes it. */
        private boolean readSubscriber(JsonParser p, JsonToken v) throws IOException {
            subscriberSeen = true;
            if (v == JsonToken.VALUE_NULL) {
                return true;
            }
            // not shared: thousands of subscribers would crowd the refs out of SHARED
            subscriberId = string(p, v);
            return subscriberId != null && EventValidator.isSubscriberId(subscriberId);
        }

        /** Every required field was given. */
        boolean complete() {
            return eventId != null
                    && platformId != null
                    && modelRef != null
                    && occurredAt != null
                    && customerType != null
                    && revenue != null
                    && currency != null;
        }

        /**
         * The event's rules: an id not too long, the platform expected (if any), a known customer
         * type, a storable revenue that is not negative, a currency code.
         */
        boolean valid(String expectedPlatform) {
            return eventId.length() <= EventValidator.MAX_ID_LENGTH
                    && (expectedPlatform == null || expectedPlatform.equals(platformId))
                    && EventValidator.CUSTOMER_TYPES.contains(customerType)
                    && EventValidator.storable(revenue)
                    && revenue.signum() >= 0
                    && EventValidator.isCurrency(currency);
        }

        /**
         * The event at {@code at}. The events of a batch share one copy of the strings they repeat
         * (the caller's platform).
         */
        UsageEvent event(String expectedPlatform, Instant at) {
            return new UsageEvent(
                    eventId,
                    expectedPlatform != null ? expectedPlatform : platformId,
                    SHARED.of(modelRef),
                    at,
                    SHARED.of(customerType),
                    units == null ? new LinkedHashMap<>() : units,
                    revenue,
                    SHARED.of(currency),
                    components == null ? List.of() : components,
                    subscriberId);
        }
    }

    /**
     * The common form of an instant, {@code yyyy-MM-ddTHH:mm:ss[.f…]Z} (1 to 9 decimals), read
     * directly; null for anything else, which {@link Instant#parse} then reads (or refuses). What
     * it reads, it reads as {@link Instant#parse} does ({@code WellFormedEventsTest}).
     */
    public static Instant isoInstant(String s) {
        int n = s.length();
        if (n < 20
                || n == 21
                || n > 30
                || s.charAt(4) != '-'
                || s.charAt(7) != '-'
                || s.charAt(10) != 'T'
                || s.charAt(13) != ':'
                || s.charAt(16) != ':'
                || s.charAt(n - 1) != 'Z'
                || (n > 20 && s.charAt(19) != '.')) {
            return null;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 7);
        int day = digits(s, 8, 10);
        int hour = digits(s, 11, 13);
        int minute = digits(s, 14, 16);
        int second = digits(s, 17, 19);
        int fraction = n > 20 ? digits(s, 20, n - 1) : 0;
        if (year < 0
                || month < 1
                || month > 12
                || day < 1
                || day > java.time.YearMonth.of(year, month).lengthOfMonth()
                || hour < 0
                || hour > 23
                || minute < 0
                || minute > 59
                || second < 0
                || second > 59
                || fraction < 0) {
            return null;
        }
        for (int k = n - 21; k < 9 && n > 20; k++) {
            fraction *= 10;
        }
        long days = java.time.LocalDate.of(year, month, day).toEpochDay();
        return Instant.ofEpochSecond(days * 86_400 + hour * 3_600 + minute * 60 + second, fraction);
    }

    /** The decimal number of {@code s[from, to)}, or -1 when a character is not a digit. */
    private static int digits(String s, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /** Any JSON string; else null. */
    private static String string(JsonParser p, JsonToken v) throws IOException {
        return v == JsonToken.VALUE_STRING ? p.getText() : null;
    }

    /** An amount as the validator reads it: a decimal string; else null. */
    private static BigDecimal amount(JsonParser p, JsonToken v) throws IOException {
        return v == JsonToken.VALUE_STRING ? EventValidator.number(p.getText()) : null;
    }

    /** A required string as the validator takes it: not blank, no NUL; else null. */
    private static String text(JsonParser p, JsonToken v) throws IOException {
        if (v != JsonToken.VALUE_STRING) {
            return null;
        }
        String s = p.getText();
        return s.isBlank() || s.indexOf('\u0000') >= 0 ? null : s;
    }

    /**
     * A quantity or weight written as the validator reads it: a JSON number or a decimal string. A
     * float with trailing zeros is read as the JSON tree reads it; one with an exponent is left to
     * the validator.
     */
    private static BigDecimal number(JsonParser p, JsonToken v) throws IOException {
        if (v == JsonToken.VALUE_NUMBER_INT) {
            return new BigDecimal(p.getText());
        }
        if (v == JsonToken.VALUE_NUMBER_FLOAT) {
            String s = p.getText();
            if (s.indexOf('e') >= 0 || s.indexOf('E') >= 0) {
                return null;
            }
            BigDecimal d = new BigDecimal(s);
            // as the JSON tree reads a float: trailing zeros stripped, zero as 0
            return !s.endsWith("0")
                    ? d
                    : d.signum() == 0 ? BigDecimal.ZERO : d.stripTrailingZeros();
        }
        if (v == JsonToken.VALUE_STRING) {
            return EventValidator.number(p.getText());
        }
        return null;
    }

    private static Map<String, BigDecimal> units(JsonParser p, JsonToken v) throws IOException {
        if (v == JsonToken.VALUE_NULL) {
            return new LinkedHashMap<>();
        }
        if (v != JsonToken.START_OBJECT) {
            return null;
        }
        Map<String, BigDecimal> out = new LinkedHashMap<>();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
            String name = p.currentName();
            BigDecimal q = number(p, p.nextToken());
            if (q == null
                    || !EventValidator.storable(q)
                    || q.signum() < 0
                    || name.indexOf('\u0000') >= 0
                    || out.put(name, q) != null) {
                return null;
            }
        }
        return out;
    }

    private static List<UsageEvent.Component> components(JsonParser p, JsonToken v)
            throws IOException {
        if (v != JsonToken.START_ARRAY) {
            return null;
        }
        List<UsageEvent.Component> out = new ArrayList<>(2);
        BigDecimal sum = BigDecimal.ZERO;
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (t != JsonToken.START_OBJECT) {
                return null;
            }
            String ref = null;
            BigDecimal weight = null;
            for (JsonToken c = p.nextToken(); c != JsonToken.END_OBJECT; c = p.nextToken()) {
                String name = p.currentName();
                JsonToken cv = p.nextToken();
                if (name.equals("modelRef")) {
                    if (ref != null || (ref = text(p, cv)) == null) {
                        return null;
                    }
                } else if (name.equals("weight")) {
                    if (weight != null || (weight = number(p, cv)) == null) {
                        return null;
                    }
                } else {
                    p.skipChildren();
                }
            }
            if (ref == null
                    || weight == null
                    || weight.signum() <= 0
                    || weight.compareTo(BigDecimal.ONE) > 0) {
                return null;
            }
            sum = sum.add(weight);
            out.add(new UsageEvent.Component(SHARED.of(ref), weight));
        }
        return out.isEmpty() || sum.compareTo(BigDecimal.ONE) != 0 ? null : out;
    }
}
