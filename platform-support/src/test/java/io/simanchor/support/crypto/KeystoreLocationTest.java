package io.simanchor.support.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** Keys fail closed in production (issue 28): no keystore or no password, no start. */
class KeystoreLocationTest {

    @Test
    void in_production_a_missing_path_or_an_empty_password_stops_the_start_with_its_setting_named() {
        assertThatThrownBy(() -> KeystoreLocation.of("simanchor.identity.ca", Optional.empty(), Optional.of("secret"),
                true))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("simanchor.identity.ca.keystore-path is not set");
        assertThatThrownBy(() -> KeystoreLocation.of("simanchor.identity.ca", Optional.of(" "), Optional.of("secret"),
                true))
                .hasMessageStartingWith("simanchor.identity.ca.keystore-path is not set");
        assertThatThrownBy(() -> KeystoreLocation.of("simanchor.mud.signer", Optional.of("/keys/mud.p12"),
                Optional.empty(), true))
                .hasMessageStartingWith("simanchor.mud.signer.keystore-password is not set or empty");
        assertThatThrownBy(() -> KeystoreLocation.of("simanchor.mud.signer", Optional.of("/keys/mud.p12"),
                Optional.of(""), true))
                .hasMessageStartingWith("simanchor.mud.signer.keystore-password is not set or empty");
    }

    @Test
    void in_production_a_path_and_a_password_are_taken() {
        KeystoreLocation location = KeystoreLocation.of("simanchor.attestation.result", Optional.of("/keys/ear.p12"),
                Optional.of("secret"), true);

        assertThat(location.path()).hasValue(Path.of("/keys/ear.p12"));
        assertThat(location.password()).containsExactly('s', 'e', 'c', 'r', 'e', 't');
    }

    @Test
    void tests_may_keep_a_key_in_memory() {
        KeystoreLocation location = KeystoreLocation.of("simanchor.attestation.result", Optional.empty(),
                Optional.empty(), false);

        assertThat(location.path()).isEmpty();
        assertThat(location.password()).isEmpty();
    }
}
