package dev.fairshare.settlement.store;

/** Rows in PostgreSQL's COPY text format: tab-separated, {@code \N} for null, escaped. */
final class CopyText {
    private CopyText() {}

    /** Appends one row of values (their {@code toString()}, or null) and its newline. */
    static void row(StringBuilder out, Object... values) {
        fields(out, values);
        out.append('\n');
    }

    /** Appends values (their {@code toString()}, or null), tab-separated, with no newline. */
    static void fields(StringBuilder out, Object... values) {
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                out.append('\t');
            }
            Object v = values[i];
            if (v == null) {
                out.append("\\N");
                continue;
            }
            value(out, v.toString());
        }
    }

    /** Appends one value, escaped. */
    static void value(StringBuilder out, String s) {
        if (clean(s)) {
            out.append(s);
            return;
        }
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

    /**
     * True when {@code s} has nothing COPY would need escaped (the common case: ids, amounts).
     * {@link String#indexOf(int)} is an intrinsic that the JIT compiled long before a close runs,
     * where a loop over the characters here would still be interpreted at a month's first close.
     */
    static boolean clean(String s) {
        return s.indexOf('\\') < 0
                && s.indexOf('\t') < 0
                && s.indexOf('\n') < 0
                && s.indexOf('\r') < 0;
    }
}
