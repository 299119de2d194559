package dev.fairshare.usage.store;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * The service's one way to a database connection: {@link #inTransaction} runs work in one
 * transaction, committed when the work returns and rolled back when it throws; {@link #read} runs
 * it on a connection in auto-commit mode (each statement on its own). Either way the connection
 * goes back to the pool as it came (auto-commit, READ COMMITTED), and an {@link SQLException}
 * leaves as a {@link DataAccessException} that keeps its SQL state.
 *
 * <p>Plain JDBC on Agroal rather than JTA's {@code @Transactional}: a close runs at REPEATABLE READ
 * (which {@code @Transactional} cannot ask for) and exports its snapshot to a second connection,
 * and the close and ingestion paths COPY on the PostgreSQL connection itself.
 */
@ApplicationScoped
public class Transactions {
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
            restore(c, isolation, null);
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
