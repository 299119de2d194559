package dev.fairshare.usage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fairshare.usage.domain.EventValidator;
import dev.fairshare.usage.domain.UsageEvent;
import dev.fairshare.usage.domain.WellFormedEvents;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.api.Test;

/**
 * The streaming reader of the hot path against the validator: it never accepts what the validator
 * refuses, and what it accepts it reads exactly as the validator does (same ids, instant, units and
 * amounts to the scale, components).
 */
class WellFormedEventsTest {
    static final ObjectMapper MAPPER =
            new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    final EventValidator validator =
            new EventValidator(
                    Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofDays(400), Duration.ofMinutes(5));
    final WellFormedEvents reader = new WellFormedEvents(validator);

    /** The validator's answer: the event, or null when it refuses (or the JSON does not parse). */
    UsageEvent validated(String json, String platform) {
        try {
            EventValidator.Result r = validator.validate(MAPPER.readTree(json), platform, NOW);
            return r.valid() ? r.event() : null;
        } catch (IOException e) {
            return null;
        }
    }

    UsageEvent read(String json, String platform) {
        return reader.read(json.getBytes(StandardCharsets.UTF_8), platform, NOW);
    }

    @Test
    void typicalEventsAreReadInOnePassExactlyAsTheValidatorReadsThem() {
        List<String> typical =
                List.of(
                        "{\"eventId\":\"e-1\",\"platformId\":\"acme\",\"modelRef\":\"org/m\",\"occurredAt\":\"2026-11-24T10:15:30.123456789Z\","
                                + "\"customerType\":\"COMMERCIAL\",\"units\":{\"requests\":1,\"input_tokens\":1690,\"gpu_seconds\":0.561},"
                                + "\"revenue\":{\"amount\":\"0.5533\",\"currency\":\"USD\"}}",
                        "{\"eventId\":\"e-2\",\"platformId\":\"acme\",\"modelRef\":\"org/m\",\"occurredAt\":\"2026-11-25T12:04:59Z\","
                                + "\"customerType\":\"NON_COMMERCIAL\",\"units\":{\"characters\":\"12.5\"},\"revenue\":{\"amount\":\"0\",\"currency\":\"EUR\"},"
                                + "\"components\":[{\"modelRef\":\"a\",\"weight\":\"0.3\"},{\"modelRef\":\"b\",\"weight\":0.7}],\"note\":{\"x\":[1,2]}}",
                        "{\"eventId\":\"ü-\\u00e9\\t\",\"platformId\":\"acme\",\"modelRef\":\"org/m\",\"occurredAt\":\"2025-10-27T00:00:00Z\","
                                + "\"customerType\":\"COMMERCIAL\",\"revenue\":{\"amount\":\" 12.50 \",\"currency\":\"JPY\"},\"components\":null}",
                        // pooled usage: a subscriber, revenue 0
                        "{\"eventId\":\"e-4\",\"platformId\":\"acme\",\"modelRef\":\"org/m\",\"occurredAt\":\"2026-11-24T10:15:30Z\","
                                + "\"customerType\":\"COMMERCIAL\",\"units\":{\"requests\":1},\"revenue\":{\"amount\":\"0\",\"currency\":\"USD\"},"
                                + "\"subscriberId\":\"9f86d081884c7d65\"}");
        typical = new ArrayList<>(typical);
        // floats with trailing zeros: read as the JSON tree reads them (stripped, zero as 0)
        typical.add(
                "{\"eventId\":\"e-3\",\"platformId\":\"acme\",\"modelRef\":\"org/m\",\"occurredAt\":\"2026-11-25T12:04:59Z\","
                        + "\"customerType\":\"COMMERCIAL\",\"units\":{\"gpu_seconds\":0.50,\"audio_seconds\":100.0,\"characters\":0.00},"
                        + "\"revenue\":{\"amount\":\"1\",\"currency\":\"USD\"}}");
        for (String json : typical) {
            UsageEvent fast = read(json, "acme");
            assertThat(fast).as(json).isNotNull();
            assertThat(fast).isEqualTo(validated(json, "acme"));
        }
        assertThat(read(typical.get(3), "acme").subscriberId()).isEqualTo("9f86d081884c7d65");
        assertThat(read(typical.get(0), "acme").subscriberId()).isNull();
        assertThat(read(typical.get(0), null)).isEqualTo(validated(typical.get(0), null));
    }

    @Test
    void eventsShareOneCopyOfTheStringsTheyRepeat() {
        String json =
                "{\"eventId\":\"e-%d\",\"platformId\":\"acme\",\"modelRef\":\"org/shared-%s\",\"occurredAt\":\"2026-11-24T10:15:30Z\","
                        + "\"customerType\":\"COMMERCIAL\",\"revenue\":{\"amount\":\"1\",\"currency\":\"USD\"},"
                        + "\"components\":[{\"modelRef\":\"org/part-%s\",\"weight\":1}]}";
        String run = Long.toString(System.nanoTime());
        // the caller's platform string: not equal by chance, the very instance
        String platform = new String("acme");
        UsageEvent first = read(String.format(json, 1, run, run), platform);
        UsageEvent second = read(String.format(json, 2, run, run), platform);
        assertThat(first.eventId()).isEqualTo("e-1");
        assertThat(second.eventId()).isEqualTo("e-2");
        assertThat(first.platformId()).isSameAs(platform);
        assertThat(second.modelRef()).isEqualTo("org/shared-" + run).isSameAs(first.modelRef());
        assertThat(second.customerType()).isSameAs(first.customerType());
        assertThat(second.currency()).isSameAs(first.currency());
        assertThat(second.components().get(0).modelRef())
                .isEqualTo("org/part-" + run)
                .isSameAs(first.components().get(0).modelRef());
    }

    @Test
    void unusualButValidEventsAreLeftToTheValidator() {
        String base =
                "{\"eventId\":\"e-1\",\"platformId\":\"acme\",\"modelRef\":\"org/m\",\"occurredAt\":\"2026-11-24T10:15:30Z\","
                        + "\"customerType\":\"COMMERCIAL\",\"revenue\":{\"amount\":\"1\",\"currency\":\"USD\"}";
        // a float with an exponent, and a field given twice (the tree keeps the last)
        for (String tail : List.of(",\"units\":{\"gpu_seconds\":1e3}}", ",\"eventId\":\"e-2\"}")) {
            assertThat(read(base + tail, "acme")).as(tail).isNull();
            assertThat(validated(base + tail, "acme")).as(tail).isNotNull();
        }
    }

    @Property(tries = 2000)
    void neverAcceptsWhatTheValidatorRefusesAndReadsTheSameEvent(@ForAll long seed) {
        Random r = new Random(seed);
        String json = event(r);
        String platform = r.nextInt(4) == 0 ? null : "acme";
        UsageEvent fast = read(json, platform);
        UsageEvent slow = validated(json, platform);
        if (fast != null) {
            assertThat(slow).as(json).isEqualTo(fast);
        }
        Statistics.label("outcome")
                .collect(
                        fast != null
                                ? "read in one pass"
                                : slow != null ? "left to the validator" : "refused")
                // the generator keeps all three outcomes common enough to matter
                .coverage(
                        c -> {
                            c.check("read in one pass").percentage(p -> p >= 5);
                            c.check("left to the validator").percentage(p -> p >= 2);
                            c.check("refused").percentage(p -> p >= 20);
                        });
    }

    @Property(tries = 500)
    void eachObjectOfAnArrayIsReadInTheArraysOwnPassAsItIsReadAlone(@ForAll long seed)
            throws IOException {
        Random r = new Random(seed);
        int n = 1 + r.nextInt(6);
        List<String> objects = new ArrayList<>();
        while (objects.size() < n) {
            String json = event(r);
            if (isObject(json)) {
                objects.add(json);
            }
        }
        String platform = r.nextInt(4) == 0 ? null : "acme";
        byte[] body = ("[" + String.join(" , ", objects) + "]").getBytes(StandardCharsets.UTF_8);
        try (JsonParser p = new JsonFactory().createParser(body)) {
            assertThat(p.nextToken()).isEqualTo(JsonToken.START_ARRAY);
            for (String json : objects) {
                assertThat(p.nextToken()).isEqualTo(JsonToken.START_OBJECT);
                int start = (int) p.currentTokenLocation().getByteOffset();
                UsageEvent event = reader.readObject(p, platform, NOW);
                // left on the object's end, whatever the reader thought of it
                assertThat(p.currentToken()).isEqualTo(JsonToken.END_OBJECT);
                int end = (int) p.currentLocation().getByteOffset();
                assertThat(new String(body, start, end - start, StandardCharsets.UTF_8))
                        .isEqualTo(json);
                assertThat(event).as(json).isEqualTo(read(json, platform));
            }
            assertThat(p.nextToken()).isEqualTo(JsonToken.END_ARRAY);
        }
    }

    /** Whether {@code json} is one JSON object and nothing else. */
    static boolean isObject(String json) {
        try {
            return MAPPER.reader()
                    .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .readTree(json)
                    .isObject();
        } catch (IOException e) {
            return false;
        }
    }

    @Property(tries = 3000)
    void theCommonFormOfAnInstantIsReadExactlyAsInstantParseReadsIt(
            @ForAll @LongRange(min = -62_000_000_000L, max = 253_402_300_799L) long second,
            @ForAll @IntRange(min = 0, max = 999_999_999) int nanos,
            @ForAll long seed) {
        Random r = new Random(seed);
        String canonical = Instant.ofEpochSecond(second, nanos).toString();
        // years 0000-9999 in Instant.toString's form are always read directly
        assertThat(WellFormedEvents.isoInstant(canonical))
                .isEqualTo(Instant.ofEpochSecond(second, nanos));
        StringBuilder odd = new StringBuilder(canonical);
        for (int k = r.nextInt(3); k > 0; k--) {
            int at = r.nextInt(odd.length());
            String chars = "0123456789-T:.Zx 9";
            switch (r.nextInt(3)) {
                case 0 -> odd.setCharAt(at, chars.charAt(r.nextInt(chars.length())));
                case 1 -> odd.deleteCharAt(at);
                default -> odd.insert(at, chars.charAt(r.nextInt(chars.length())));
            }
        }
        String s = odd.toString();
        Instant read = WellFormedEvents.isoInstant(s);
        if (read != null) {
            assertThat(read).as(s).isEqualTo(Instant.parse(s));
        }
    }

    static <T> T pick(Random r, List<T> options) {
        return options.get(r.nextInt(options.size()));
    }

    /** An event whose every field is often right, sometimes wrong, missing, twice or odd. */
    static String event(Random r) {
        List<String> fields = new ArrayList<>();
        field(
                r,
                fields,
                "eventId",
                "\"e-1\"",
                "\"\"",
                "\" \"",
                "\"" + "x".repeat(201) + "\"",
                "12",
                "null",
                "\"a\\u0000b\"",
                "\"é-ü\"");
        field(r, fields, "platformId", "\"acme\"", "\"other\"", "null", "true");
        field(r, fields, "modelRef", "\"org/m\"", "\"\"", "5", "[]");
        field(
                r,
                fields,
                "occurredAt",
                "\"2026-11-24T10:15:30Z\"",
                "\"2026-11-24T10:15:30.123456789Z\"",
                "\"2025-01-01T00:00:00Z\"",
                "\"2026-11-25T12:04:00Z\"",
                "\"2026-11-25T12:06:00Z\"",
                "\"yesterday\"",
                "17");
        field(
                r,
                fields,
                "customerType",
                "\"COMMERCIAL\"",
                "\"NON_COMMERCIAL\"",
                "\"commercial\"",
                "null");
        field(r, fields, "units", units(r), units(r), "null", "{}", "5", "[]");
        field(r, fields, "revenue", revenue(r), revenue(r), revenue(r), "null", "\"0.1\"");
        field(r, fields, "components", components(r), components(r), "null", "[]", "{}");
        if (r.nextInt(3) == 0) {
            field(
                    r,
                    fields,
                    "subscriberId",
                    "\"9f86d081884c7d65\"",
                    "\"s1\"",
                    "null",
                    "\"\"",
                    "\" \"",
                    "\"a b\"",
                    "\"" + "s".repeat(128) + "\"",
                    "\"" + "s".repeat(129) + "\"",
                    "\"é\"",
                    "\"a\\u0007\"",
                    "\"a\\u0000b\"",
                    "7",
                    "[\"s1\"]");
        }
        if (r.nextInt(5) == 0) {
            fields.add(
                    r.nextInt(fields.size() + 1),
                    "\"extra\":{\"nested\":[1,{\"a\":null}],\"s\":\"x\"}");
        }
        return "{" + String.join(",", fields) + "}";
    }

    /** Usually one value of {@code values}; sometimes none, sometimes twice. */
    static void field(Random r, List<String> fields, String name, String... values) {
        int times = r.nextInt(30) == 0 ? 0 : r.nextInt(30) == 0 ? 2 : 1;
        for (int i = 0; i < times; i++) {
            String v = r.nextInt(10) == 0 ? values[r.nextInt(values.length)] : values[0];
            fields.add("\"" + name + "\":" + v);
        }
    }

    static final List<String> QUANTITIES =
            List.of(
                    "1",
                    "0",
                    "800",
                    "0.42",
                    "0.420",
                    "1e3",
                    "1E-2",
                    "\"5\"",
                    "\" 7 \"",
                    "\"-1\"",
                    "-2",
                    "0.0",
                    "\"abc\"",
                    "true",
                    "null",
                    "1.0000000000000000001",
                    "123456789012345678901",
                    "{}",
                    "12.5",
                    "\"0.50\"",
                    "-0");

    static String units(Random r) {
        List<String> entries = new ArrayList<>();
        int n = r.nextInt(5);
        for (int i = 0; i < n; i++) {
            String key =
                    pick(
                            r,
                            List.of(
                                    "requests",
                                    "input_tokens",
                                    "gpu_seconds",
                                    "x\\u0000y",
                                    "requests"));
            String q = r.nextInt(8) == 0 ? pick(r, QUANTITIES) : Integer.toString(r.nextInt(5000));
            entries.add("\"" + key + "\":" + q);
        }
        return "{" + String.join(",", entries) + "}";
    }

    static String revenue(Random r) {
        List<String> entries = new ArrayList<>();
        if (r.nextInt(30) > 0) {
            entries.add(
                    "\"amount\":"
                            + (r.nextInt(8) > 0
                                    ? "\"0." + r.nextInt(10_000) + "\""
                                    : pick(
                                            r,
                                            List.of(
                                                    "\"0\"",
                                                    "\"-1\"",
                                                    "0.5",
                                                    "\"1e2\"",
                                                    "\" 2.50 \"",
                                                    "\"x\"",
                                                    "null",
                                                    "\"1.0000000000000000001\""))));
        }
        if (r.nextInt(30) > 0) {
            entries.add(
                    "\"currency\":"
                            + (r.nextInt(3) > 0
                                    ? "\"USD\""
                                    : pick(
                                            r,
                                            List.of(
                                                    "\"EUR\"", "\"usd\"", "\"ZZZ\"", "5",
                                                    "\"\""))));
        }
        if (r.nextInt(6) == 0) {
            entries.add(r.nextInt(entries.size() + 1), "\"note\":[1,2]");
        }
        return "{" + String.join(",", entries) + "}";
    }

    static String components(Random r) {
        List<String> parts = new ArrayList<>();
        List<List<String>> weightSets =
                List.of(
                        List.of("\"0.3\"", "\"0.7\""),
                        List.of("0.3", "0.7"),
                        List.of("0.30", "0.70"),
                        List.of("\"1\""),
                        List.of("1"),
                        List.of("1.5", "\"-0.5\""),
                        List.of("\"0\"", "1"),
                        List.of("\"0.5\"", "\"0.4\""),
                        List.of("0.25", "\"0.25\"", "0.5"));
        List<String> weights = r.nextInt(2) == 0 ? weightSets.get(0) : pick(r, weightSets);
        for (int i = 0; i < weights.size(); i++) {
            List<String> entries = new ArrayList<>();
            if (r.nextInt(30) > 0) {
                entries.add(
                        "\"modelRef\":"
                                + (r.nextInt(10) > 0
                                        ? "\"a\""
                                        : pick(r, List.of("\"b\"", "\"\"", "7"))));
            }
            if (r.nextInt(30) > 0) {
                entries.add("\"weight\":" + weights.get(i));
            }
            if (r.nextInt(8) == 0) {
                entries.add("\"why\":{\"k\":[]}");
            }
            parts.add(
                    r.nextInt(20) == 0
                            ? "\"not an object\""
                            : "{" + String.join(",", entries) + "}");
        }
        return "[" + String.join(",", parts) + "]";
    }
}
