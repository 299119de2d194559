package dev.fairshare.usage.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * A PostgreSQL advisory lock held until the end of the caller's transaction: one background job of
 * its kind (the roll-up fold, an outbox's relay) works at a time among the service's instances.
 */
final class TransactionLock {
    private TransactionLock() {}

    /** Takes lock {@code key} for {@code c}'s transaction; false when another holds it. */
    static boolean tryLock(Connection c, long key) throws SQLException {
        try (PreparedStatement lock = c.prepareStatement("select pg_try_advisory_xact_lock(?)")) {
            lock.setLong(1, key);
            try (ResultSet rs = lock.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }
}
