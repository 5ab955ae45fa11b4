package io.simanchor.token.infra.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/**
 * The service's connections carry platform-support's database timeouts (its microprofile-config.properties),
 * merged with the service's own JDBC properties, so a database that stops answering fails requests instead
 * of holding their threads (FirstUseLedgerPostgresTest shows what the ledger then does).
 */
@QuarkusTest
class DatabaseTimeoutsTest {

    @Inject
    DataSource dataSource;

    @Test
    void connections_have_a_statement_timeout_and_a_socket_timeout_beside_the_service_schema() throws SQLException {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet settings = statement
                        .executeQuery("select current_setting('statement_timeout'), current_schema()")) {
            assertThat(settings.next()).isTrue();
            assertThat(settings.getString(1)).isEqualTo("30s");
            assertThat(settings.getString(2)).isEqualTo("token");
            assertThat(Duration.ofMillis(connection.getNetworkTimeout())).isEqualTo(Duration.ofSeconds(60));
        }
    }
}
