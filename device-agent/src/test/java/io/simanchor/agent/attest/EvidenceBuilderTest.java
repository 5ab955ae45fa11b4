package io.simanchor.agent.attest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.simanchor.agent.enroll.SoftwareKey;
import io.simanchor.agent.jose.Es256;
import io.simanchor.api.attestation.EatEvidenceV1;
import io.simanchor.api.attestation.MeasurementV1;
import io.simanchor.api.attestation.Ueid;

class EvidenceBuilderTest {

    private static final String DEVICE = "0b7c4a5e-2f1d-4c53-9a8e-6d2b1f0e4a71";

    @Test
    void evidence_is_an_es256_eat_jwt_over_the_shared_record() throws Exception {
        SoftwareKey key = SoftwareKey.generate(new SecureRandom());
        EvidenceBuilder.DeviceState state = new EvidenceBuilder.DeviceState("tracker-x1", "fw", "4.2.0",
                List.of(new MeasurementV1("boot", "sha-256", "n4bQgYhMfWWaL-qgxVrQFaO_TxsrC4Is0V1sFbDwCgg")), 3, true);
        EatEvidenceV1 claims = EvidenceBuilder.claims(DEVICE, "nonce-1", state, Instant.ofEpochSecond(1_800_000_000));
        String compact = EvidenceBuilder.sign(claims, key::sign);

        String[] parts = compact.split("\\.");
        assertThat(parts).hasSize(3);
        Base64.Decoder base64url = Base64.getUrlDecoder();
        assertThat(new String(base64url.decode(parts[0]), StandardCharsets.UTF_8))
                .isEqualTo("{\"alg\":\"ES256\",\"typ\":\"eat+jwt\"}");
        EatEvidenceV1 read = new ObjectMapper().readValue(base64url.decode(parts[1]), EatEvidenceV1.class);
        assertThat(read).isEqualTo(claims);
        assertThat(read.ueid()).isEqualTo(Ueid.of(DEVICE));

        byte[] signature = base64url.decode(parts[2]);
        assertThat(signature).hasSize(64);
        Signature verifier = Signature.getInstance("SHA256withECDSAinP1363Format");
        verifier.initVerify(key.keyPair().getPublic());
        verifier.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        assertThat(verifier.verify(signature)).isTrue();
    }

    @Test
    void a_signature_that_is_not_der_is_refused() {
        assertThatThrownBy(() -> Es256.fromDer(new byte[]{1, 2, 3})).isInstanceOf(IllegalArgumentException.class);
    }
}
