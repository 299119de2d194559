package dev.fairshare.usage.ingest;

import java.util.concurrent.ConcurrentHashMap;

/**
 * One shared copy of the short strings that recur in almost every event (model references, customer
 * types, currencies), so that the thousands of events a batch holds while it waits on the database
 * do not each keep their own. Bounded: once full, or for a long string, it answers the string it
 * was given.
 */
final class CanonicalStrings {
    private final ConcurrentHashMap<String, String> pool = new ConcurrentHashMap<>();
    private final int maxEntries;
    private final int maxLength;

    CanonicalStrings(int maxEntries, int maxLength) {
        this.maxEntries = maxEntries;
        this.maxLength = maxLength;
    }

    /** The pool's string equal to {@code s} ({@code s} itself when it is new and does not fit). */
    String of(String s) {
        if (s == null || s.length() > maxLength) {
            return s;
        }
        String shared = pool.get(s);
        if (shared != null) {
            return shared;
        }
        if (pool.size() >= maxEntries) {
            pool.clear();
        }
        shared = pool.putIfAbsent(s, s);
        return shared == null ? s : shared;
    }

    int size() {
        return pool.size();
    }
}
