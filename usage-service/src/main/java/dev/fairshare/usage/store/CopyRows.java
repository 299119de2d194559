package dev.fairshare.usage.store;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import org.postgresql.PGConnection;
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

    /** What one COPY writes: its rows, calling {@link #sendIfFull} between them. */
    interface Body {
        void write(CopyRows rows) throws SQLException;
    }

    /** The COPY the rows stream to (none: they stay here, for {@link #toString}). */
    private CopyIn target;

    /**
     * Runs one {@code COPY … from stdin} on {@code c}: {@code body}'s rows are streamed in slices
     * (no batch-sized text on the heap); the COPY is cancelled if the body or the server fails.
     */
    static void copyIn(Connection c, String sql, Body body) throws SQLException {
        CopyIn copy = c.unwrap(PGConnection.class).getCopyAPI().copyIn(sql);
        try {
            CopyRows rows = new CopyRows();
            rows.target = copy;
            body.write(rows);
            rows.send();
            copy.endCopy();
        } finally {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        }
    }

    /** Sends the rows written so far once they fill a slice. */
    void sendIfFull() throws SQLException {
        if (len >= SLICE && target != null) {
            send();
        }
    }

    private void send() throws SQLException {
        if (len > 0) {
            target.writeToCopy(buf, 0, len);
            len = 0;
        }
    }

    /** The rows written so far, as text (tests). */
    @Override
    public String toString() {
        return new String(buf, 0, len, StandardCharsets.UTF_8);
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
        return unscaled(v, 0);
    }

    /**
     * An exact decimal, as {@link BigDecimal#toPlainString} writes it, without its intermediate
     * strings when the unscaled value fits in a {@code long} (the hot path's amounts and units).
     */
    CopyRows decimal(BigDecimal d) {
        if (d.scale() < 0 || d.precision() > 18) {
            return ascii(d.toPlainString());
        }
        return unscaled(d.scaleByPowerOfTen(d.scale()).longValue(), d.scale());
    }

    /** {@code unscaled × 10^-scale} in plain notation ({@code scale >= 0}). */
    private CopyRows unscaled(long unscaled, int scale) {
        if (unscaled == Long.MIN_VALUE) {
            return ascii(BigDecimal.valueOf(unscaled, scale).toPlainString());
        }
        long v = Math.abs(unscaled);
        int digits = 1;
        for (long p = 10; digits < 19 && v >= p; p *= 10) {
            digits++;
        }
        // at least one digit before the point: 0.0123 has five digits for an unscaled 123
        int shown = Math.max(digits, scale + 1);
        room(shown + 2);
        if (unscaled < 0) {
            buf[len++] = '-';
        }
        int end = len + shown + (scale > 0 ? 1 : 0);
        int at = end;
        for (int i = 0; i < shown; i++) {
            if (scale > 0 && i == scale) {
                buf[--at] = '.';
            }
            buf[--at] = (byte) ('0' + v % 10);
            v /= 10;
        }
        len = end;
        return this;
    }

    /**
     * A text field, escaped for COPY and encoded to UTF-8 (an unpaired surrogate becomes {@code ?},
     * as {@link String#getBytes} does).
     */
    CopyRows text(CharSequence s) {
        // the common case, ASCII, written as it is read (no encoded copy of the string)
        int n = s.length();
        int start = len;
        room(n * 2);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                len = start;
                return utf8Text(s);
            }
            if (c == '\\' || c == '\t' || c == '\n' || c == '\r') {
                buf[len++] = '\\';
                buf[len++] = (byte) (c == '\\' ? '\\' : c == '\t' ? 't' : c == '\n' ? 'n' : 'r');
            } else {
                buf[len++] = (byte) c;
            }
        }
        return this;
    }

    /** {@link #text} of any string. */
    private CopyRows utf8Text(CharSequence s) {
        // the JDK's encoder, then one pass over bytes: a multi-byte character's bytes are all
        // >= 0x80, so only the four ASCII characters COPY escapes are looked for
        byte[] utf8 = s.toString().getBytes(StandardCharsets.UTF_8);
        room(utf8.length * 2);
        int from = 0;
        for (int i = 0; i < utf8.length; i++) {
            byte b = utf8[i];
            if (b == '\\' || b == '\t' || b == '\n' || b == '\r') {
                System.arraycopy(utf8, from, buf, len, i - from);
                len += i - from;
                buf[len++] = '\\';
                buf[len++] = (byte) (b == '\\' ? '\\' : b == '\t' ? 't' : b == '\n' ? 'n' : 'r');
                from = i + 1;
            }
        }
        System.arraycopy(utf8, from, buf, len, utf8.length - from);
        len += utf8.length - from;
        return this;
    }

    /** An instant, ISO-8601 in UTC to the microsecond (PostgreSQL keeps microseconds). */
    CopyRows instant(Instant t) {
        long second = t.getEpochSecond();
        long day = Math.floorDiv(second, 86_400L);
        int secondOfDay = (int) Math.floorMod(second, 86_400L);
        // the civil date of a day since 1970-01-01 (H. Hinnant's civil_from_days) without
        // java.time's objects; years 1000-9999 only, which ISO-8601 writes plainly
        long z = day + 719_468L;
        long era = Math.floorDiv(z, 146_097L);
        long dayOfEra = z - era * 146_097L;
        long yearOfEra =
                (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        long mp = (5 * dayOfYear + 2) / 153;
        int dayOfMonth = (int) (dayOfYear - (153 * mp + 2) / 5 + 1);
        int month = (int) (mp < 10 ? mp + 3 : mp - 9);
        long year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
        if (year < 1000 || year > 9999) {
            return ascii(t.toString());
        }
        room(27);
        digits((int) year, 4);
        put('-');
        digits(month, 2);
        put('-');
        digits(dayOfMonth, 2);
        put('T');
        digits(secondOfDay / 3600, 2);
        put(':');
        digits(secondOfDay / 60 % 60, 2);
        put(':');
        digits(secondOfDay % 60, 2);
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
        // the common case: printable ASCII other than quote and backslash, written as it is read
        int n = s.length();
        room(n + 2);
        int start = len;
        buf[len++] = '"';
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\') {
                len = start;
                return utf8JsonString(s);
            }
            buf[len++] = (byte) c;
        }
        buf[len++] = '"';
        return this;
    }

    /** {@link #jsonString} of any string. */
    private CopyRows utf8JsonString(String s) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        boolean plain = true;
        for (int i = 0; i < utf8.length && plain; i++) {
            byte b = utf8[i];
            // bytes of multi-byte characters are negative; controls, quote and backslash escape
            plain = (b < 0 || b >= 0x20) && b != '"' && b != '\\';
        }
        put('"');
        if (plain) {
            // nothing COPY escapes either (tab, newline, return and backslash are excluded)
            room(utf8.length);
            System.arraycopy(utf8, 0, buf, len, utf8.length);
            len += utf8.length;
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
