package io.simanchor.identity.domain;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.simanchor.support.problem.ProblemException;

/** What a registration may say about a device before it enrolls. */
class NewRegistrationTest {

    private static final Iccid ICCID = new Iccid("8944500102198304826");

    @Test
    void a_manufacturer_that_would_be_a_dot_segment_of_the_mud_url_is_refused() {
        for (String manufacturer : new String[]{".", ".."}) {
            assertThatThrownBy(() -> registration(manufacturer)).isInstanceOf(ProblemException.class)
                    .hasMessageContaining("'manufacturer'");
        }
        assertThatCode(() -> registration("...")).doesNotThrowAnyException();
        assertThatCode(() -> registration("Acme Corp.")).doesNotThrowAnyException();
    }

    private static NewRegistration registration(String manufacturer) {
        return new NewRegistration("default", ICCID, "356938035643809", "tracker-x1", manufacturer, Optional.empty());
    }
}
