package io.simanchor.support.persistence;

import java.sql.SQLException;
import java.util.Set;

/**
 * A database failure. The REST layer answers 503 with {@code Retry-After}, so clients retry rather than
 * give up; the message carries the SQLState only, never a statement or a value.
 */
public final class PersistenceException extends RuntimeException {

    private static final Set<String> TRANSIENT_STATES = Set.of("08000", "08001", "08003", "08004", "08006", "08007",
            "25006", "40001", "40P01", "53100", "53200", "53300", "55P03", "57014", "57P01", "57P02", "57P03", "57P05",
            "58000", "58030");

    private static final Set<String> REFUSED_TEXT_STATES = Set.of("22023", "22021", "22P05", "22P02");

    public PersistenceException(SQLException cause) {
        super("database operation failed [SQLState " + cause.getSQLState() + "]", cause);
    }

    /** A failure found before reaching the database, e.g. more work waiting for it than is allowed. */
    public PersistenceException(String message) {
        super(message);
    }

    /**
     * Whether the database refused a text value it was given: a NUL character, which PostgreSQL cannot store
     * and PgJDBC refuses as 22023 (invalid parameter value) before sending it; a character the encoding
     * cannot hold (22021, 22P05); text that is not of the column's type, such as no UUID (22P02). The request
     * that carried it is at fault, not the database, and will fail the same way again. Other data exceptions
     * (an overflow, a division by zero, a value too long) are more likely the service's own bug, and stay so.
     */
    public boolean refusedAValue() {
        return getCause() instanceof SQLException failure && REFUSED_TEXT_STATES.contains(failure.getSQLState());
    }

    /**
     * Whether the same work may succeed later (PostgreSQL's SQLSTATE codes): the database was unreachable or
     * lost the connection (08000, 08001, 08003, 08004, 08006, 08007), is read-only after a failover (25006),
     * rolled the transaction back for a conflict (40001, 40P01), is out of resources (53100, 53200, 53300),
     * could not take a lock (55P03), cancelled the statement at its timeout or is shutting down or starting
     * (57014, 57P01, 57P02, 57P03, 57P05), or failed in its I/O (58000, 58030); also a failure with no
     * SQLSTATE, as a connection pool's timeout has, and one found before reaching the database. Anything else
     * (a constraint, a missing column, a protocol violation) fails the same way every time.
     */
    public boolean isTransient() {
        return !(getCause() instanceof SQLException failure) || failure.getSQLState() == null
                || TRANSIENT_STATES.contains(failure.getSQLState());
    }
}
