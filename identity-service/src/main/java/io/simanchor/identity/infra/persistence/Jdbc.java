package io.simanchor.identity.infra.persistence;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Runs work in one JDBC transaction. The stores manage transactions themselves (no JTA): each domain
 * change is exactly one transaction, and that is visible in the code.
 */
@ApplicationScoped
public class Jdbc {

    private final DataSource dataSource;

    Jdbc(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Work on a connection; may throw {@link SQLException}. */
    @FunctionalInterface
    public interface Work<T> {

        T run(Connection connection) throws SQLException;
    }

    /** Runs {@code work} in a transaction: committed if it returns, rolled back if it throws. */
    public <T> T inTransaction(Work<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new PersistenceException(e);
        }
    }

    /** Runs a read or a single statement in auto-commit mode. */
    public <T> T read(Work<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(true);
            return work.run(connection);
        } catch (SQLException e) {
            throw new PersistenceException(e);
        }
    }

    /** Whether {@code e} is a unique-constraint violation (SQLSTATE 23505). */
    static boolean isUniqueViolation(SQLException e) {
        return "23505".equals(e.getSQLState());
    }

    /** A database failure; maps to 503 so clients retry rather than give up. */
    public static final class PersistenceException extends RuntimeException {

        PersistenceException(SQLException cause) {
            super("database operation failed [SQLState " + cause.getSQLState() + "]", cause);
        }
    }
}
