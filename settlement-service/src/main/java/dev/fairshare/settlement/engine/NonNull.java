package dev.fairshare.settlement.engine;

/**
 * The null checks of the engine's record constructors. {@code check(names, a, b, …)} throws the
 * {@link NullPointerException} that {@code Objects.requireNonNull(value, name)} would for the first
 * null value, named by the word at its position in the space-separated {@code names}. It allocates
 * nothing unless it throws: the close builds such records line by line.
 */
final class NonNull {
    private NonNull() {}

    static void check(String names, Object a, Object b, Object c) {
        require(a, names, 0);
        require(b, names, 1);
        require(c, names, 2);
    }

    static void check(String names, Object a, Object b, Object c, Object d) {
        check(names, a, b, c);
        require(d, names, 3);
    }

    static void check(String names, Object a, Object b, Object c, Object d, Object e) {
        check(names, a, b, c, d);
        require(e, names, 4);
    }

    static void check(String names, Object a, Object b, Object c, Object d, Object e, Object f) {
        check(names, a, b, c, d, e);
        require(f, names, 5);
    }

    static void check(
            String names, Object a, Object b, Object c, Object d, Object e, Object f, Object g) {
        check(names, a, b, c, d, e, f);
        require(g, names, 6);
    }

    private static void require(Object value, String names, int position) {
        if (value == null) {
            throw new NullPointerException(names.split(" ")[position]);
        }
    }
}
