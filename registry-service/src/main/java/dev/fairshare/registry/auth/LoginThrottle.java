package dev.fairshare.registry.auth;

import dev.fairshare.registry.api.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
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

    private final EntityManager em;
    private final int perName;
    private final int perAddress;
    private final Duration window;
    private final AtomicLong calls = new AtomicLong();

    public LoginThrottle(
            EntityManager em,
            @ConfigProperty(name = "fairshare.login.max-failures-per-name", defaultValue = "10")
                    int perName,
            @ConfigProperty(name = "fairshare.login.max-failures-per-address", defaultValue = "10")
                    int perAddress,
            @ConfigProperty(name = "fairshare.login.window", defaultValue = "PT1M")
                    Duration window) {
        this.em = em;
        this.perName = perName;
        this.perAddress = perAddress;
        this.window = window;
    }

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
            em.createNativeQuery(
                            "delete from login_attempt where window_start < now() - make_interval(secs => ?1)")
                    .setParameter(1, (double) (window.toSeconds() + KEEP.toSeconds()))
                    .executeUpdate();
        }
        long wait = 0;
        for (String key : attempt.keys()) {
            Object[] row =
                    (Object[])
                            em.createNativeQuery(
                                            """
                                            insert into login_attempt as a (key, window_start, attempts)
                                            values (?1, now(), 1)
                                            on conflict (key) do update set
                                                window_start = case when a.window_start <= now() - make_interval(secs => ?2)
                                                                    then now() else a.window_start end,
                                                attempts = case when a.window_start <= now() - make_interval(secs => ?2)
                                                                then 1 else a.attempts + 1 end
                                            returning attempts,
                                                ceil(extract(epoch from (window_start + make_interval(secs => ?2) - now())))
                                            """)
                                    .setParameter(1, key)
                                    .setParameter(2, (double) window.toSeconds())
                                    .getSingleResult();
            int attempts = ((Number) row[0]).intValue();
            int limit = key.startsWith("address:") ? perAddress : perName;
            if (attempts > limit) {
                wait = Math.max(wait, Math.max(1, ((Number) row[1]).longValue()));
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
            em.createNativeQuery("delete from login_attempt where key = ?1")
                    .setParameter(1, attempt.name())
                    .executeUpdate();
        }
        em.createNativeQuery(
                        "update login_attempt set attempts = attempts - 1 where key = ?1 and attempts > 0")
                .setParameter(1, attempt.address())
                .executeUpdate();
    }
}
