package dev.fairshare.usage.store;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import org.postgresql.copy.CopyIn;

/**
 * Rows in PostgreSQL's COPY text format (tab-separated, {@code \N} for null, escaped), encoded to
 * UTF-8 as they are written into one reusable buffer, and the small JSON values of the hot path
 * written straight into them. Sent to the server in slices ({@link #sendIfFull}).
 */
final class CopyRows {
    private static final JsonStringEncoder JSON = JsonStringEncoder.getInstance();

    /** Bytes sent to the server at a time. */
    static final int SLICE = 64 * 1024;

    private byte[] buf = new byte[SLICE + 8192];
    private int len;

    private void room(int n) {
        if (len + n > buf.length) {
            buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
        }
    }

    private void put(char ascii) {
        room(1);
        buf[len++] = (byte) ascii;
    }

    /** Sends the rows written so far once they fill a slice. */
    void sendIfFull(CopyIn copy) throws SQLException {
        if (len >= SLICE) {
            send(copy);
        }
    }

    /** Sends the rows written so far. */
    void send(CopyIn copy) throws SQLException {
        if (len > 0) {
            copy.writeToCopy(buf, 0, len);
            len = 0;
        }
    }

    /** The rows written so far, as text (tests). */
    @Override
    public String toString() {
        return new String(buf, 0, len, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** One field separator. */
    CopyRows tab() {
        put('\t');
        return this;
    }

    /** The end of a row. */
    void end() {
        put('\n');
    }

    /** A null field. */
    CopyRows nul() {
        room(2);
        buf[len++] = '\\';
        buf[len++] = 'N';
        return this;
    }

    /** Characters that need no escaping in COPY text and are ASCII (digits, dates, uuids). */
    CopyRows ascii(String s) {
        int n = s.length();
        room(n);
        for (int i = 0; i < n; i++) {
            buf[len++] = (byte) s.charAt(i);
        }
        return this;
    }

    CopyRows number(long v) {
        return ascii(Long.toString(v));
    }

    /** An exact decimal, as written (no exponent). */
    CopyRows decimal(BigDecimal d) {
        return ascii(d.toPlainString());
    }

    /**
     * A text field, escaped for COPY and encoded to UTF-8 (an unpaired surrogate becomes {@code ?},
     * as {@link String#getBytes} does).
     */
    CopyRows text(CharSequence s) {
        int n = s.length();
        room(n * 2);
        for (int i = 0; i < n; i++) {
            char ch = s.charAt(i);
            if (ch < 0x80) {
                switch (ch) {
                    case '\\' -> escaped('\\');
                    case '\t' -> escaped('t');
                    case '\n' -> escaped('n');
                    case '\r' -> escaped('r');
                    default -> buf[len++] = (byte) ch;
                }
            } else if (ch < 0x800) {
                room(2);
                buf[len++] = (byte) (0xC0 | (ch >> 6));
                buf[len++] = (byte) (0x80 | (ch & 0x3F));
            } else if (Character.isSurrogate(ch)) {
                if (Character.isHighSurrogate(ch)
                        && i + 1 < n
                        && Character.isLowSurrogate(s.charAt(i + 1))) {
                    int cp = Character.toCodePoint(ch, s.charAt(++i));
                    room(4);
                    buf[len++] = (byte) (0xF0 | (cp >> 18));
                    buf[len++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                    buf[len++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                    buf[len++] = (byte) (0x80 | (cp & 0x3F));
                } else {
                    room(1);
                    buf[len++] = '?';
                }
            } else {
                room(3);
                buf[len++] = (byte) (0xE0 | (ch >> 12));
                buf[len++] = (byte) (0x80 | ((ch >> 6) & 0x3F));
                buf[len++] = (byte) (0x80 | (ch & 0x3F));
            }
        }
        return this;
    }

    private void escaped(char c) {
        room(2);
        buf[len++] = '\\';
        buf[len++] = (byte) c;
    }

    /** An instant, ISO-8601 in UTC to the microsecond (PostgreSQL keeps microseconds). */
    CopyRows instant(Instant t) {
        LocalDateTime d = LocalDateTime.ofEpochSecond(t.getEpochSecond(), 0, ZoneOffset.UTC);
        if (d.getYear() < 1000 || d.getYear() > 9999) {
            return ascii(t.toString());
        }
        room(27);
        digits(d.getYear(), 4);
        put('-');
        digits(d.getMonthValue(), 2);
        put('-');
        digits(d.getDayOfMonth(), 2);
        put('T');
        digits(d.getHour(), 2);
        put(':');
        digits(d.getMinute(), 2);
        put(':');
        digits(d.getSecond(), 2);
        int micros = t.getNano() / 1000;
        if (micros != 0) {
            put('.');
            digits(micros, 6);
        }
        put('Z');
        return this;
    }

    private void digits(int v, int width) {
        room(width);
        for (int i = width - 1; i >= 0; i--) {
            buf[len + i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        len += width;
    }

    /** JSON punctuation ({@code [ ] { } , :}): ASCII, never escaped in COPY text. */
    CopyRows json(char punctuation) {
        put(punctuation);
        return this;
    }

    /** A JSON string literal of {@code s}, quoted, escaped for JSON and then for COPY. */
    CopyRows jsonString(String s) {
        put('"');
        boolean plain = true;
        for (int i = 0; i < s.length() && plain; i++) {
            char ch = s.charAt(i);
            plain = ch >= 0x20 && ch != '"' && ch != '\\';
        }
        if (plain) {
            text(s);
        } else {
            StringBuilder quoted = new StringBuilder(s.length() + 8);
            JSON.quoteAsString(s, quoted);
            text(quoted);
        }
        put('"');
        return this;
    }

    /** A JSON object of name to exact number, e.g. {@code {"requests":1,"gpu_seconds":0.25}}. */
    CopyRows jsonNumbers(Map<String, BigDecimal> values, boolean asStrings) {
        put('{');
        boolean first = true;
        for (Map.Entry<String, BigDecimal> e : values.entrySet()) {
            if (!first) {
                put(',');
            }
            first = false;
            jsonString(e.getKey());
            put(':');
            if (asStrings) {
                put('"');
                decimal(e.getValue());
                put('"');
            } else {
                decimal(e.getValue());
            }
        }
        put('}');
        return this;
    }
}
