package dev.fairshare.usage.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/** The COPY text of the hot path: escaped and encoded exactly, instants and JSON readable back. */
class CopyRowsTest {
    static final ObjectMapper MAPPER = new ObjectMapper();

    /** What COPY's text format reads back from a field (the inverse of its escaping). */
    static String unescape(String field) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < field.length(); i++) {
            char ch = field.charAt(i);
            if (ch != '\\') {
                out.append(ch);
                continue;
            }
            char next = field.charAt(++i);
            out.append(
                    switch (next) {
                        case 't' -> '\t';
                        case 'n' -> '\n';
                        case 'r' -> '\r';
                        default -> next;
                    });
        }
        return out.toString();
    }

    @Property(tries = 500)
    void anyTextComesBackFromCopyAsItWasWritten(@ForAll String s) {
        // UTF-8 cannot carry an unpaired surrogate: it is written as '?', as String.getBytes does
        String encodable =
                new String(
                        s.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        java.nio.charset.StandardCharsets.UTF_8);
        String row = new CopyRows().text(s).toString();
        assertThat(row).doesNotContain("\t", "\n", "\r");
        assertThat(unescape(row)).isEqualTo(encodable);
    }

    @Property(tries = 500)
    void asciiTextComesBackFromCopyAsItWasWritten(
            @ForAll @CharRange(from = '\u0000', to = '\u007f') String s) {
        // the fast path of ASCII, escapes included
        String row = new CopyRows().text(s).tab().text(s).toString();
        assertThat(row.split("\t", -1)).hasSize(2);
        assertThat(unescape(row.split("\t", -1)[0])).isEqualTo(s);
        assertThat(unescape(row.split("\t", -1)[1])).isEqualTo(s);
    }

    @Property(tries = 1000)
    void decimalsAreWrittenAsTheirPlainString(
            @ForAll long unscaled,
            @ForAll @IntRange(min = -3, max = 24) int scale,
            @ForAll @IntRange(min = 0, max = 3) int widen) {
        BigDecimal d =
                new BigDecimal(
                        java.math.BigInteger.valueOf(unscaled)
                                .multiply(java.math.BigInteger.TEN.pow(7 * widen)),
                        scale);
        assertThat(new CopyRows().decimal(d).tab().toString()).isEqualTo(d.toPlainString() + "\t");
    }

    @Property(tries = 500)
    void numbersAreWrittenAsTheirDecimalString(@ForAll long v) {
        assertThat(new CopyRows().number(v).toString()).isEqualTo(Long.toString(v));
    }

    @Property(tries = 500)
    void asciiJsonStringsReadBackExactly(
            @ForAll @CharRange(from = '\u0000', to = '\u007f') String value) throws Exception {
        String row = new CopyRows().json('[').jsonString(value).json(']').toString();
        assertThat(MAPPER.readTree(unescape(row)).get(0).asText()).isEqualTo(value);
    }

    @Test
    void awkwardCharactersAreEscapedOnce() {
        assertThat(new CopyRows().text("a\tb\nc\rd\\e\"f é 😀").tab().nul().toString())
                .isEqualTo("a\\tb\\nc\\rd\\\\e\"f é 😀\t\\N");
    }

    @Property(tries = 500)
    void instantsAreWrittenToTheMicrosecond(
            @ForAll @LongRange(min = -30_000_000_000L, max = 250_000_000_000L) long second,
            @ForAll @LongRange(min = 0, max = 999_999_999) long nanos) {
        Instant t = Instant.ofEpochSecond(second, nanos);
        String written = new CopyRows().instant(t).toString();
        assertThat(Instant.parse(written)).isEqualTo(t.truncatedTo(ChronoUnit.MICROS));
    }

    @Property(tries = 500)
    void jsonStringsAndNumbersReadBackExactly(@ForAll String key, @ForAll String value)
            throws Exception {
        Map<String, BigDecimal> units = new LinkedHashMap<>();
        units.put(key, new BigDecimal("12.500"));
        String row =
                new CopyRows()
                        .json('[')
                        .jsonString(value)
                        .json(',')
                        .jsonNumbers(units, false)
                        .json(',')
                        .jsonNumbers(units, true)
                        .json(']')
                        .toString();
        var node = MAPPER.readTree(unescape(row));
        String encodable =
                new String(
                        value.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        java.nio.charset.StandardCharsets.UTF_8);
        String encodableKey =
                new String(
                        key.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        java.nio.charset.StandardCharsets.UTF_8);
        assertThat(node.get(0).asText()).isEqualTo(encodable);
        assertThat(node.get(1).get(encodableKey).decimalValue()).isEqualByComparingTo("12.5");
        assertThat(node.get(2).get(encodableKey).asText()).isEqualTo("12.500");
    }
}
