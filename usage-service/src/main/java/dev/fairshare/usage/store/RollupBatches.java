package dev.fairshare.usage.store;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the sums of a {@code usage_rollup_batch} row, as {@link EventStore#rollupJson} writes them,
 * and adds them up per roll-up key. Numbers are read exactly (as decimals, never doubles).
 */
final class RollupBatches {
    private static final JsonFactory JSON = new JsonFactory();

    /**
     * Adds every sum of {@code deltas} (a JSON array, the UTF-8 text as PostgreSQL sends it) to
     * {@code into}.
     */
    static void addAll(byte[] deltas, Map<RollupKey, RollupDelta> into) throws IOException {
        addAll(deltas, into, new java.util.HashMap<>());
    }

    /**
     * {@link #addAll(byte[], Map)}, keeping one copy of each platform, model, customer type and
     * currency in {@code names} (a fold's keys repeat them thousands of times).
     */
    static void addAll(byte[] deltas, Map<RollupKey, RollupDelta> into, Map<String, String> names)
            throws IOException {
        try (JsonParser p = JSON.createParser(deltas)) {
            expect(p.nextToken(), JsonToken.START_ARRAY);
            while (p.nextToken() == JsonToken.START_OBJECT) {
                String platform = null;
                String model = null;
                LocalDate day = null;
                String customerType = null;
                String currency = null;
                String subscriber = null;
                long events = 0;
                BigDecimal revenue = null;
                Map<String, BigDecimal> units = new TreeMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    JsonToken value = p.nextToken();
                    switch (field) {
                        case "p" -> platform = name(p, names);
                        case "m" -> model = name(p, names);
                        case "d" -> day = day(p.getText());
                        case "c" -> customerType = name(p, names);
                        case "k" -> currency = name(p, names);
                        case "s" -> subscriber = p.getText();
                        case "n" -> events = p.getLongValue();
                        case "r" -> revenue = p.getDecimalValue();
                        case "u" -> {
                            expect(value, JsonToken.START_OBJECT);
                            while (p.nextToken() == JsonToken.FIELD_NAME) {
                                String unit = p.currentName();
                                p.nextToken();
                                units.put(unit, p.getDecimalValue());
                            }
                        }
                        default -> throw new IOException("unknown roll-up field " + field);
                    }
                }
                if (platform == null
                        || model == null
                        || day == null
                        || customerType == null
                        || currency == null
                        || revenue == null) {
                    throw new IOException("incomplete roll-up sums in " + p.currentLocation());
                }
                into.computeIfAbsent(
                                new RollupKey(
                                        platform, model, day, customerType, currency, subscriber),
                                k -> new RollupDelta())
                        .addSums(events, revenue, units);
            }
        }
    }

    private static String name(JsonParser p, Map<String, String> names) throws IOException {
        String text = p.getText();
        String known = names.putIfAbsent(text, text);
        return known == null ? text : known;
    }

    /** A day as {@code yyyy-mm-dd}, read without a formatter (the common form) or with one. */
    static LocalDate day(String text) {
        if (text.length() == 10 && text.charAt(4) == '-' && text.charAt(7) == '-') {
            try {
                return LocalDate.of(
                        Integer.parseInt(text, 0, 4, 10),
                        Integer.parseInt(text, 5, 7, 10),
                        Integer.parseInt(text, 8, 10, 10));
            } catch (RuntimeException notPlain) {
                // a sign or another form: the formatter decides
            }
        }
        return LocalDate.parse(text);
    }

    private static void expect(JsonToken actual, JsonToken expected) throws IOException {
        if (actual != expected) {
            throw new IOException("roll-up sums: " + expected + " expected, " + actual + " found");
        }
    }

    private RollupBatches() {}
}
