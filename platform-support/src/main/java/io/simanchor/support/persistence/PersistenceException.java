package io.simanchor.support.persistence;

import java.sql.SQLException;

/**
 * A database failure. The REST layer answers 503 with {@code Retry-After}, so clients retry rather than
 * give up; the message carries the SQLState only, never a statement or a value.
 */
public final class PersistenceException extends RuntimeException {

    public PersistenceException(SQLException cause) {
        super("database operation failed [SQLState " + cause.getSQLState() + "]", cause);
    }

    /** A failure found before reaching the database, e.g. more work waiting for it than is allowed. */
    public PersistenceException(String message) {
        super(message);
    }
}
