package dev.fairshare.settlement.store;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import org.jboss.logging.Logger;

/**
 * The service's one way to run a transaction: {@link #inTransaction} runs work in one transaction,
 * committed when the work returns and rolled back when it throws (an {@link Error} too); {@link
 * #read} runs it on a connection in auto-commit mode (each statement on its own). Either way the
 * connection goes back to the pool as it came (auto-commit, READ COMMITTED), and an {@link
 * SQLException} leaves as a {@link DataAccessException} that keeps its SQL state. Nothing else
 * commits or rolls back (ArchitectureTest); a committed transaction is reported as committed even
 * when the connection cannot be reset afterwards (the pool resets or discards it on return).
 *
 * <p>Plain JDBC on Agroal rather than JTA's {@code @Transactional} (docs/adr/0001-persistence.md):
 * the work COPYs on the PostgreSQL connection itself (ingestion, the close), takes advisory locks
 * and savepoints on it, or runs at REPEATABLE READ and exports its snapshot to a second connection
 * (the close), none of which {@code @Transactional} can ask for. usage-service and
 * settlement-service hold this same file but for the package.
 */
@ApplicationScoped
public class Transactions {
    private static final Logger LOG = Logger.getLogger(Transactions.class);
    private final AgroalDataSource dataSource;

    public Transactions(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Work on a connection that may throw {@link SQLException}. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** {@code work} in one READ COMMITTED transaction. */
    public <T> T inTransaction(Work<T> work) {
        return inTransaction(Connection.TRANSACTION_READ_COMMITTED, work);
    }

    /** {@code work} in one transaction at {@code isolation} (a {@link Connection} constant). */
    public <T> T inTransaction(int isolation, Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            if (isolation != Connection.TRANSACTION_READ_COMMITTED) {
                c.setTransactionIsolation(isolation);
            }
            T result;
            try {
                result = work.run(c);
                c.commit();
            } catch (SQLException | RuntimeException | Error e) {
                rollback(c, e);
                restore(c, isolation, e);
                throw e;
            }
            restoreAfterCommit(c, isolation);
            return result;
        } catch (SQLException e) {
            throw new DataAccessException(e);
        }
    }

    /** {@code work} on a connection in auto-commit mode. */
    public <T> T read(Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new DataAccessException(e);
        }
    }

    private static void rollback(Connection c, Throwable failure) {
        try {
            c.rollback();
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    /**
     * Back to auto-commit and READ COMMITTED after a commit: the work is done whatever fails here.
     */
    private static void restoreAfterCommit(Connection c, int isolation) {
        try {
            restore(c, isolation, null);
        } catch (SQLException e) {
            LOG.warnf(e, "a committed transaction's connection could not be reset");
        }
    }

    /**
     * Back to auto-commit and READ COMMITTED; after a {@code failure}, what fails here is added to
     * it rather than thrown.
     */
    private static void restore(Connection c, int isolation, Throwable failure)
            throws SQLException {
        try {
            if (isolation != Connection.TRANSACTION_READ_COMMITTED) {
                c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            }
            c.setAutoCommit(true);
        } catch (SQLException e) {
            if (failure == null) {
                throw e;
            }
            failure.addSuppressed(e);
        }
    }

    /** An {@link SQLException} that left a transaction, with its SQL state. */
    public static final class DataAccessException extends IllegalStateException {
        private DataAccessException(SQLException cause) {
            super(cause);
        }

        /**
         * The SQL state of the failure: {@code 40001} a serialization failure, {@code 23505} a
         * duplicate key.
         */
        public String sqlState() {
            return ((SQLException) getCause()).getSQLState();
        }
    }
}
