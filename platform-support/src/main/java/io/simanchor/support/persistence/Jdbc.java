package io.simanchor.support.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

import javax.sql.DataSource;

/**
 * Runs work in one JDBC transaction. The stores manage transactions themselves (no JTA): each domain
 * change is exactly one transaction, and that is visible in the code.
 */
public final class Jdbc {

    private final DataSource dataSource;

    public Jdbc(DataSource dataSource) {
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

    /**
     * Runs a bounded delete ({@code sql} has one timestamp parameter and a {@code limit} of {@code chunk})
     * until it removes fewer than {@code chunk} rows, so that no statement holds many row locks or runs
     * as one long transaction. Returns the rows removed.
     */
    public int deleteInChunks(String sql, Instant before, int chunk) {
        int total = 0;
        int deleted;
        do {
            deleted = read(connection -> {
                try (PreparedStatement delete = connection.prepareStatement(sql)) {
                    delete.setTimestamp(1, Timestamp.from(before));
                    return delete.executeUpdate();
                }
            });
            total += deleted;
        } while (deleted == chunk);
        return total;
    }

    /** Whether {@code e} is a unique-constraint violation (SQLSTATE 23505). */
    public static boolean isUniqueViolation(SQLException e) {
        return "23505".equals(e.getSQLState());
    }
}
