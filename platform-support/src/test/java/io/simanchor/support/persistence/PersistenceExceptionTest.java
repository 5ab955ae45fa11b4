package io.simanchor.support.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which database failures are worth trying again (PostgreSQL's SQLSTATE codes, Appendix A of its manual). */
class PersistenceExceptionTest {

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({"08001, true", "08006, true", "25006, true", "40001, true", "40P01, true", "53300, true",
            "55P03, true", "57014, true", "57P01, true", "58030, true", "08P01, false", "23505, false", "22023, false",
            "40002, false", "42703, false", "42P01, false", "55000, false", "57P04, false", "0, false"})
    void a_failure_is_transient_by_its_sqlstate(String sqlState, boolean expected) {
        assertThat(new PersistenceException(new SQLException("failed", sqlState)).isTransient()).isEqualTo(expected);
    }

    @Test
    void a_failure_without_sqlstate_or_before_the_database_is_transient() {
        assertThat(new PersistenceException(new SQLException("Acquisition timeout")).isTransient()).isTrue();
        assertThat(new PersistenceException("ledger backlog full").isTransient()).isTrue();
    }
}
