package io.simanchor.api.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class SimEndorsementTest {

    @Test
    void signed_bytes_are_the_context_and_the_fields_one_per_line() {
        assertThat(new String(SimEndorsement.signedBytes("8988200000000000001", "356938035643809", "tracker-x1",
                "Acme", "MFkw"), StandardCharsets.UTF_8))
                .isEqualTo(
                        "simanchor-sim-endorsement-v1\n8988200000000000001\n356938035643809\ntracker-x1\nAcme\nMFkw");
    }

    @Test
    void a_record_without_sim_key_ends_with_an_empty_line() {
        assertThat(new String(SimEndorsement.signedBytes("1", "2", "m", "x", null), StandardCharsets.UTF_8))
                .endsWith("\nx\n");
    }

    @Test
    void line_breaks_inside_fields_are_refused_because_they_would_make_two_records_sign_alike() {
        assertThatThrownBy(() -> SimEndorsement.signedBytes("1", "2\nm", "x", "y", null))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
