package dev.fairshare.usage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fairshare.usage.domain.EventError;
import dev.fairshare.usage.domain.EventValidator;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventValidatorTest {
    static final ObjectMapper MAPPER =
            new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    final EventValidator validator =
            new EventValidator(
                    Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofDays(400), Duration.ofMinutes(5));

    static ObjectNode event() throws Exception {
        return (ObjectNode)
                MAPPER.readTree(
                        """
                {"eventId":"e-1","platformId":"acme","modelRef":"coqui/XTTS-v2","occurredAt":"2026-11-24T10:15:30Z",
                 "customerType":"COMMERCIAL","units":{"requests":1,"output_tokens":800,"gpu_seconds":0.42,"my_unit":3},
                 "revenue":{"amount":"0.0123","currency":"USD"},
                 "components":[{"modelRef":"whisper","weight":"0.3"},{"modelRef":"coqui/XTTS-v2","weight":"0.7"}]}
                """);
    }

    private String code(ObjectNode node, String platform) {
        EventValidator.Result r = validator.validate(node, platform);
        assertThat(r.valid()).isFalse();
        return r.errors().get(0).code();
    }

    private EventError error(ObjectNode node) {
        return validator.validate(node, null).errors().get(0);
    }

    @Test
    void aValidEventKeepsEveryUnitExactly() throws Exception {
        EventValidator.Result r = validator.validate(event(), "acme");
        assertThat(r.errors()).isEmpty();
        assertThat(r.event().units().get("gpu_seconds"))
                .isEqualByComparingTo(new BigDecimal("0.42"));
        assertThat(r.event().units()).containsKey("my_unit");
        assertThat(r.event().revenue()).isEqualByComparingTo(new BigDecimal("0.0123"));
        assertThat(r.event().components()).hasSize(2);
    }

    @Test
    void aSubscriberIdIsOptionalAndOfPrintableAsciiWithoutSpacesUpTo128Characters()
            throws Exception {
        ObjectNode e = event();
        assertThat(validator.validate(e, "acme").event().subscriberId()).isNull();
        e.putNull("subscriberId");
        assertThat(validator.validate(e, "acme").event().subscriberId()).isNull();
        String longest = "a".repeat(127) + "~";
        for (String ok : List.of("s1", "9f86d081884c7d65", "sub:42/x!", longest)) {
            e.put("subscriberId", ok);
            EventValidator.Result r = validator.validate(e, "acme");
            assertThat(r.errors()).as(ok).isEmpty();
            assertThat(r.event().subscriberId()).isEqualTo(ok);
        }
        String rule =
                "subscriberId must be 1 to 128 printable ASCII characters without spaces"
                        + " (U+0021 to U+007E)";
        for (String bad :
                List.of("", " ", "a b", "a".repeat(129), "é", "a\tb", "a\u007fb", "a\u0000b")) {
            e = event();
            e.put("subscriberId", bad);
            assertThat(validator.validate(e, "acme").errors())
                    .as(bad)
                    .containsExactly(new EventError("BAD_SUBSCRIBER_ID", "subscriberId", rule));
        }
        for (String notAString : List.of("42", "true", "[\"s1\"]", "{\"id\":\"s1\"}")) {
            e = event();
            e.set("subscriberId", MAPPER.readTree(notAString));
            assertThat(error(e))
                    .as(notAString)
                    .extracting(EventError::code, EventError::field)
                    .containsExactly("BAD_SUBSCRIBER_ID", "subscriberId");
        }
    }

    @Test
    void everyViolationHasItsCodeAndField() throws Exception {
        ObjectNode e = event();
        e.remove("eventId");
        assertThat(error(e))
                .isEqualTo(new EventError("MISSING_FIELD", "eventId", "eventId is required"));
        e = event();
        e.put("occurredAt", "yesterday");
        assertThat(error(e).code()).isEqualTo("BAD_TIMESTAMP");
        e = event();
        e.put("occurredAt", "2025-01-01T00:00:00Z");
        assertThat(error(e).code()).isEqualTo("EVENT_TOO_OLD");
        e = event();
        e.put("occurredAt", "2026-11-25T12:06:00Z");
        assertThat(error(e).code()).isEqualTo("EVENT_IN_FUTURE");
        e = event();
        e.put("occurredAt", "2026-11-25T12:04:00Z");
        assertThat(validator.validate(e, null).valid()).isTrue();
        e = event();
        ((ObjectNode) e.get("units")).put("requests", -1);
        assertThat(error(e))
                .extracting(EventError::code, EventError::field)
                .containsExactly("NEGATIVE_UNITS", "units.requests");
        e = event();
        ((ObjectNode) e.get("units")).put("requests", "lots");
        assertThat(error(e).code()).isEqualTo("BAD_UNITS");
        e = event();
        ((ObjectNode) e.get("revenue")).put("currency", "XXY");
        assertThat(error(e))
                .extracting(EventError::code, EventError::field)
                .containsExactly("BAD_CURRENCY", "revenue.currency");
        e = event();
        ((ObjectNode) e.get("revenue")).put("amount", 0.0123);
        assertThat(error(e).code()).isEqualTo("BAD_AMOUNT");
        e = event();
        ((ObjectNode) e.get("revenue")).put("amount", "-1");
        assertThat(error(e).code()).isEqualTo("NEGATIVE_REVENUE");
        e = event();
        ((ObjectNode) e.get("components").get(0)).put("weight", "0.2");
        assertThat(error(e))
                .extracting(EventError::code, EventError::field)
                .containsExactly("WEIGHTS_DONT_SUM_TO_ONE", "components");
        e = event();
        e.put("customerType", "GOVERNMENT");
        assertThat(error(e).code()).isEqualTo("BAD_CUSTOMER_TYPE");
        assertThat(code(event(), "other-platform")).isEqualTo("PLATFORM_MISMATCH");
        assertThat(validator.validate(MAPPER.readTree("[1]"), null).errors().get(0).code())
                .isEqualTo("MALFORMED_JSON");
    }

    @Test
    void valuesThatStorageCannotHoldExactlyAreRejected() throws Exception {
        ObjectNode e = event();
        ((ObjectNode) e.get("revenue")).put("amount", "1e21");
        assertThat(error(e).code()).isEqualTo("BAD_AMOUNT");
        e = event();
        ((ObjectNode) e.get("units")).put("requests", new BigDecimal("1e25"));
        assertThat(error(e))
                .extracting(EventError::code, EventError::field)
                .containsExactly("BAD_UNITS", "units.requests");
        e = event();
        ((ObjectNode) e.get("revenue")).put("amount", "0.0000000000000000001");
        assertThat(error(e).code()).isEqualTo("BAD_AMOUNT");
        e = event();
        e.put("eventId", "a\u0000b");
        assertThat(error(e))
                .extracting(EventError::code, EventError::field)
                .containsExactly("INVALID_VALUE", "eventId");
        e = event();
        e.put("occurredAt", "2026-11-24T10:15:30.1234567Z");
        assertThat(validator.validate(e, null).event().occurredAt())
                .isEqualTo(Instant.parse("2026-11-24T10:15:30.123456Z"));
    }

    @Test
    void theKafkaPathJudgesAgeAtArrival() throws Exception {
        ObjectNode e = event();
        e.put("occurredAt", "2025-11-01T00:00:00Z");
        assertThat(validator.validate(e, null).valid()).isTrue();
        assertThat(
                        validator
                                .validate(e, null, NOW.plus(Duration.ofDays(30)))
                                .errors()
                                .get(0)
                                .code())
                .isEqualTo("EVENT_TOO_OLD");
    }

    @Test
    void revenueMayBeZeroAndComponentsOptional() throws Exception {
        ObjectNode e = event();
        ((ObjectNode) e.get("revenue")).put("amount", "0");
        e.remove("components");
        assertThat(validator.validate(e, null).valid()).isTrue();
    }

    @Test
    void allViolationsAreReportedTogether() throws Exception {
        ObjectNode e = event();
        e.remove("modelRef");
        e.put("customerType", "X");
        assertThat(validator.validate(e, null).errors())
                .extracting(EventError::code)
                .containsExactly("MISSING_FIELD", "BAD_CUSTOMER_TYPE");
    }
}
