package io.simanchor.support.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;

import org.junit.jupiter.api.Test;

class EcPublicKeyTest {

    private static EcPublicKey newKey(EcCurve curve) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", CryptoProviders.forCurve(curve));
        generator.initialize(new ECGenParameterSpec(curve.standardName()));
        return EcPublicKey.of(generator.generateKeyPair().getPublic());
    }

    @Test
    void a_jwk_decodes_to_the_same_key_on_both_curves() throws Exception {
        for (EcCurve curve : EcCurve.values()) {
            EcPublicKey key = newKey(curve);
            EcPublicKey decoded = EcPublicKey.fromJwk(key.toJwk());
            assertThat(decoded).isEqualTo(key);
            assertThat(decoded.thumbprint()).isEqualTo(key.thumbprint());
        }
    }

    @Test
    void a_jwk_with_another_key_type_or_curve_is_refused() throws Exception {
        EcPublicKey.Jwk jwk = newKey(EcCurve.SECP256R1).toJwk();
        assertThatThrownBy(() -> EcPublicKey.fromJwk(new EcPublicKey.Jwk("RSA", jwk.crv(), jwk.x(), jwk.y())))
                .isInstanceOf(CryptoInputException.class);
        assertThatThrownBy(() -> EcPublicKey.fromJwk(new EcPublicKey.Jwk("EC", "P-384", jwk.x(), jwk.y())))
                .isInstanceOf(CryptoInputException.class);
        assertThatThrownBy(() -> EcPublicKey.fromJwk(null)).isInstanceOf(CryptoInputException.class);
    }

    @Test
    void short_padded_or_missing_coordinates_are_refused() throws Exception {
        EcPublicKey.Jwk jwk = newKey(EcCurve.SECP256R1).toJwk();
        String shortX = Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[31]);
        for (String x : new String[]{shortX, jwk.x() + "=", null, "not base64!"}) {
            assertThatThrownBy(() -> EcPublicKey.fromJwk(new EcPublicKey.Jwk("EC", "P-256", x, jwk.y())))
                    .isInstanceOf(CryptoInputException.class);
        }
    }

    @Test
    void a_point_off_the_curve_is_refused() throws Exception {
        EcPublicKey.Jwk jwk = newKey(EcCurve.SECP256R1).toJwk();
        byte[] y = Base64.getUrlDecoder().decode(jwk.y());
        y[31] ^= 1;
        String otherY = Base64.getUrlEncoder().withoutPadding().encodeToString(y);
        assertThatThrownBy(() -> EcPublicKey.fromJwk(new EcPublicKey.Jwk("EC", "P-256", jwk.x(), otherY)))
                .isInstanceOf(CryptoInputException.class)
                .extracting(e -> ((CryptoInputException) e).reason())
                .isEqualTo(CryptoInputException.Reason.INVALID_CURVE_POINT);
    }
}
