package dev.fairshare.registry.auth;

import dev.fairshare.registry.problem.ProblemException;
import dev.fairshare.registry.store.LoginAttemptStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Limits sign-in attempts per username and per client address (API keys: per address), in fixed
 * windows counted in the database so that every replica sees the same numbers. An attempt is
 * counted <em>before</em> its credential is checked (so a flood is turned away without a bcrypt
 * comparison each), and a successful attempt takes its count back: what is limited is failures.
 * Each count runs in its own transaction, so it stays counted when the request fails.
 */
@ApplicationScoped
public class LoginThrottle {
    /** Rows of windows that ended longer ago than this are deleted now and then. */
    private static final Duration KEEP = Duration.ofHours(1);

    @Inject LoginAttemptStore store;

    @ConfigProperty(name = "fairshare.login.max-failures-per-name", defaultValue = "10")
    int perName;

    @ConfigProperty(name = "fairshare.login.max-failures-per-address", defaultValue = "10")
    int perAddress;

    @ConfigProperty(name = "fairshare.login.window", defaultValue = "PT1M")
    Duration window;

    private final AtomicLong calls = new AtomicLong();

    /** The keys of one attempt: the name (a username; none for an API key) and the address. */
    public record Attempt(String name, String address) {
        List<String> keys() {
            return name == null ? List.of(address) : List.of(name, address);
        }
    }

    public static Attempt user(String username, String address) {
        return new Attempt("user:" + username, "address:" + address);
    }

    /**
     * An API key: limited per address only. Its secret is 256 random bits, so a per-key limit would
     * stop no guessing, and its key id is no secret: a limit on it would let anyone hold a
     * platform's key off.
     */
    public static Attempt apiKey(String address) {
        return new Attempt(null, "address:" + address);
    }

    /**
     * Counts the attempt; 429 {@code TOO_MANY_ATTEMPTS} with the seconds to wait when its name or
     * its address has failed too often in the current window.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void count(Attempt attempt) {
        if (calls.incrementAndGet() % 100 == 0) {
            store.deleteOlderThan(window.plus(KEEP));
        }
        long wait = 0;
        for (String key : attempt.keys()) {
            LoginAttemptStore.Count count = store.add(key, window);
            int limit = key.startsWith("address:") ? perAddress : perName;
            if (count.attempts() > limit) {
                wait = Math.max(wait, Math.max(1, count.secondsLeft()));
            }
        }
        if (wait > 0) {
            throw new ProblemException(
                            429,
                            "TOO_MANY_ATTEMPTS",
                            "too many failed sign-ins for this name or from this address; retry after "
                                    + wait
                                    + " seconds")
                    .retryAfter(wait);
        }
    }

    /** A successful attempt: its name starts afresh, and its address gets its attempt back. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void succeeded(Attempt attempt) {
        if (attempt.name() != null) {
            store.delete(attempt.name());
        }
        store.giveBack(attempt.address());
    }
}
