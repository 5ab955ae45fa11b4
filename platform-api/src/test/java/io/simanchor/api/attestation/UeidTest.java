package io.simanchor.api.attestation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.UUID;

import org.junit.jupiter.api.Test;

class UeidTest {

    private static final String DEVICE = "0b7c4a5e-2f1d-4c53-9a8e-6d2b1f0e4a71";

    @Test
    void a_device_ueid_is_the_rand_type_byte_and_the_16_bytes_of_the_device_id() {
        byte[] ueid = Base64.getUrlDecoder().decode(Ueid.of(DEVICE));

        assertThat(ueid).hasSize(17);
        assertThat(ueid[0]).isEqualTo(Ueid.TYPE_RAND);
        assertThat(Ueid.deviceId(Ueid.of(DEVICE))).contains(DEVICE);
    }

    @Test
    void anything_else_names_no_device() {
        String random = UUID.randomUUID().toString();
        String imeiType = Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(new byte[]{0x03, 1, 2, 3, 4, 5, 6,
                        7, 8, 9, 10, 11, 12, 13, 14, 15, 16});
        String canonical = Ueid.of(random);
        // Same bytes, but an unused low bit of the last character set: a second spelling of one UEID.
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        int last = alphabet.indexOf(canonical.charAt(canonical.length() - 1));
        String nonCanonical = canonical.substring(0, canonical.length() - 1) + alphabet.charAt(last ^ 1);

        assertThat(Ueid.deviceId(null)).isEmpty();
        assertThat(Ueid.deviceId("")).isEmpty();
        assertThat(Ueid.deviceId(imeiType)).isEmpty();
        assertThat(Ueid.deviceId("not base64 at all!!!!!!")).isEmpty();
        assertThat(Ueid.deviceId(canonical + "A")).isEmpty();
        assertThat(Base64.getUrlDecoder().decode(nonCanonical)).isEqualTo(Base64.getUrlDecoder().decode(canonical));
        assertThat(Ueid.deviceId(nonCanonical)).isEmpty();
    }
}
