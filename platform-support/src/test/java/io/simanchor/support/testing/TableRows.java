package io.simanchor.support.testing;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

/**
 * Rows written and looked up directly, for tests of jobs that work on tables (housekeeping). Table and
 * column names come from the test, never from input.
 */
public final class TableRows {

    private final DataSource dataSource;

    public TableRows(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Inserts a record of a single-use value (a {@code bytea} id and its {@code expires_at}), as the
     * services' ledgers write them.
     *
     * @return the new, random id
     */
    public byte[] insertSingleUse(String table, String idColumn, Instant expiresAt) throws SQLException {
        byte[] id = UUID.randomUUID().toString().getBytes(StandardCharsets.US_ASCII);
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement(
                        "insert into " + table + " (" + idColumn + ", expires_at) values (?, ?)")) {
            insert.setBytes(1, id);
            insert.setTimestamp(2, Timestamp.from(expiresAt));
            insert.executeUpdate();
        }
        return id;
    }

    /** Whether {@code table} has a row whose {@code column} is {@code value}. */
    public boolean exists(String table, String column, Object value) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection
                        .prepareStatement("select 1 from " + table + " where " + column + " = ?")) {
            select.setObject(1, value);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next();
            }
        }
    }

    /** The first column of what {@code query} selects, in its order, as {@code type}. */
    public <T> List<T> values(String query, Class<T> type) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(query)) {
            List<T> values = new ArrayList<>();
            while (rows.next()) {
                values.add(rows.getObject(1, type));
            }
            return values;
        }
    }
}
