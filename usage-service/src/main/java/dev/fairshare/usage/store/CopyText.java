package dev.fairshare.usage.store;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.math.BigDecimal;
import java.util.Map;

/**
 * Rows in PostgreSQL's COPY text format (tab-separated, {@code \N} for null, escaped), and the
 * small JSON values of the hot path written straight into them.
 */
final class CopyText {
    private static final JsonStringEncoder JSON = JsonStringEncoder.getInstance();

    private CopyText() {}

    /** Appends one field separator. */
    static void tab(StringBuilder out) {
        out.append('\t');
    }

    /** Appends the end of a row. */
    static void end(StringBuilder out) {
        out.append('\n');
    }

    /** Appends a null field. */
    static void nul(StringBuilder out) {
        out.append("\\N");
    }

    /** Appends a text field, escaped for COPY (JSON is built apart, then appended through here). */
    static void text(StringBuilder out, CharSequence s) {
        for (int k = 0; k < s.length(); k++) {
            char ch = s.charAt(k);
            switch (ch) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> out.append(ch);
            }
        }
    }

    /** A JSON string literal of {@code s}, quoted. */
    static void jsonString(StringBuilder out, String s) {
        out.append('"');
        JSON.quoteAsString(s, out);
        out.append('"');
    }

    /** A JSON object of name to exact number, e.g. {@code {"requests":1,"gpu_seconds":0.25}}. */
    static void jsonNumbers(StringBuilder out, Map<String, BigDecimal> values, boolean asStrings) {
        out.append('{');
        boolean first = true;
        for (Map.Entry<String, BigDecimal> e : values.entrySet()) {
            if (!first) {
                out.append(',');
            }
            first = false;
            jsonString(out, e.getKey());
            out.append(':');
            if (asStrings) {
                out.append('"').append(e.getValue().toPlainString()).append('"');
            } else {
                out.append(e.getValue().toPlainString());
            }
        }
        out.append('}');
    }
}
