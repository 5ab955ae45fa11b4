package io.simanchor.support.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * Least privilege in PostgreSQL (issue 28, point 4), tried rather than read from the catalogue: a service's
 * {@code @QuarkusTest} extends this with its schema and its append-only tables. The connection is made as
 * the service's pool makes it ({@code quarkus.datasource.*}), and each refusal must be PostgreSQL's "insufficient
 * privilege" (SQLSTATE 42501), not the append-only trigger or a missing table.
 */
public abstract class ServiceDatabasePrivilegesContract {

    private static final String INSUFFICIENT_PRIVILEGE = "42501";

    /** The service's schema. */
    protected abstract String schema();

    /** Tables whose rows the service may add but never change: the audit log, and any other. */
    protected abstract List<String> appendOnlyTables();

    /** A table of the schema that holds the service's state (what another service must not reach). */
    protected abstract String stateTable();

    @Test
    void the_service_connects_as_its_application_role() throws SQLException {
        try (Connection connection = serviceConnection();
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("select current_user")) {
            row.next();
            assertThat(row.getString(1)).isEqualTo(schema() + "_app");
        }
    }

    @Test
    void append_only_tables_refuse_update_delete_and_truncate_to_the_service() throws SQLException {
        try (Connection connection = serviceConnection()) {
            for (String table : appendOnlyTables()) {
                String column = ordinaryColumn(connection, table);
                String qualified = schema() + "." + table;
                for (String sql : List.of("update " + qualified + " set " + column + " = " + column,
                        "delete from " + qualified, "truncate " + qualified)) {
                    assertRefused(connection, sql);
                }
            }
        }
    }

    @Test
    void the_service_cannot_change_its_schema_or_drop_the_append_only_trigger() throws SQLException {
        try (Connection connection = serviceConnection()) {
            assertRefused(connection, "create table " + schema() + ".intruder (id int)");
            assertRefused(connection, "drop trigger audit_log_append_only on " + schema() + ".audit_log");
            assertRefused(connection, "alter table " + schema() + ".audit_log disable trigger all");
            assertRefused(connection, "drop table " + schema() + "." + stateTable());
            assertRefused(connection, "delete from " + schema() + ".flyway_schema_history");
        }
    }

    @Test
    void no_other_service_reaches_this_schema() throws SQLException {
        Config config = ConfigProvider.getConfig();
        String url = config.getValue("quarkus.datasource.jdbc.url", String.class);
        for (String other : EmbeddedPostgresServer.SERVICE_SCHEMAS) {
            if (other.equals(schema())) {
                continue;
            }
            for (String role : List.of(other + "_app", other + "_owner")) {
                try (Connection connection = DriverManager.getConnection(url, role,
                        PostgresTestResource.server().password())) {
                    assertRefused(connection, "select count(*) from " + schema() + "." + stateTable());
                    assertRefused(connection, "insert into " + schema() + ".audit_log default values");
                    assertRefused(connection, "create table " + schema() + ".intruder (id int)");
                }
            }
        }
    }

    private String ordinaryColumn(Connection connection, String table) throws SQLException {
        try (PreparedStatement select = connection
                .prepareStatement("select column_name from information_schema.columns "
                        + "where table_schema = ? and table_name = ? and is_identity = 'NO' order by ordinal_position limit 1")) {
            select.setString(1, schema());
            select.setString(2, table);
            try (ResultSet row = select.executeQuery()) {
                assertThat(row.next()).as("table %s.%s exists", schema(), table).isTrue();
                return row.getString(1);
            }
        }
    }

    private static Connection serviceConnection() throws SQLException {
        Config config = ConfigProvider.getConfig();
        return DriverManager.getConnection(config.getValue("quarkus.datasource.jdbc.url", String.class),
                config.getValue("quarkus.datasource.username", String.class),
                config.getOptionalValue("quarkus.datasource.password", String.class).orElse(""));
    }

    private static void assertRefused(Connection connection, String sql) {
        assertThatThrownBy(() -> {
            try (Statement statement = connection.createStatement()) {
                statement.execute(sql);
            }
        }).as(sql)
                .isInstanceOfSatisfying(SQLException.class,
                        e -> assertThat(e.getSQLState()).as(sql + ": " + e.getMessage())
                                .isEqualTo(INSUFFICIENT_PRIVILEGE));
    }
}
