package dev.fairshare.usage.domain;

import java.util.concurrent.ConcurrentHashMap;

/**
 * One shared copy of the short strings that recur in almost every event (model references, customer
 * types, currencies), so that the thousands of events a batch holds while it waits on the database
 * do not each keep their own. Bounded: a long string is answered as given, and a full pool starts
 * again empty (a flood of one-off strings costs the sharing for a moment, never memory).
 */
final class CanonicalStrings {
    private final ConcurrentHashMap<String, String> pool = new ConcurrentHashMap<>();
    private final int maxEntries;
    private final int maxLength;

    CanonicalStrings(int maxEntries, int maxLength) {
        this.maxEntries = maxEntries;
        this.maxLength = maxLength;
    }

    /** The pool's string equal to {@code s} ({@code s} itself when it is new or too long). */
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
