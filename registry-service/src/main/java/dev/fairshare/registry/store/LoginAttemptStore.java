package dev.fairshare.registry.store;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;

/**
 * The {@code login_attempt} table: failed sign-ins per key (a name or an address) in fixed windows,
 * counted in the database so that every replica sees the same numbers.
 */
@ApplicationScoped
public class LoginAttemptStore {
    /** A key's attempts in its current window, and the whole seconds until that window ends. */
    public record Count(int attempts, long secondsLeft) {}

    @Inject EntityManager em;

    /** Deletes the rows of windows that started longer ago than {@code age}. */
    public void deleteOlderThan(Duration age) {
        em.createNativeQuery(
                        "delete from login_attempt where window_start < now() - make_interval(secs => ?1)")
                .setParameter(1, (double) age.toSeconds())
                .executeUpdate();
    }

    /** Counts one attempt of {@code key}, in a new window when its last one has ended. */
    public Count add(String key, Duration window) {
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
        return new Count(((Number) row[0]).intValue(), ((Number) row[1]).longValue());
    }

    /** Forgets every attempt of {@code key}. */
    public void delete(String key) {
        em.createNativeQuery("delete from login_attempt where key = ?1")
                .setParameter(1, key)
                .executeUpdate();
    }

    /** Takes one attempt of {@code key} back (never below zero). */
    public void giveBack(String key) {
        em.createNativeQuery(
                        "update login_attempt set attempts = attempts - 1 where key = ?1 and attempts > 0")
                .setParameter(1, key)
                .executeUpdate();
    }
}
