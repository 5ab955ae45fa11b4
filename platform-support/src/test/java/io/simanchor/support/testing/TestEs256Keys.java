package io.simanchor.support.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;

/** The P-256 signing keys the test stand-ins for the platform's publishers sign with (Nimbus). */
final class TestEs256Keys {

    private TestEs256Keys() {
    }

    /** A new ES256 key, its {@code kid} the RFC 7638 thumbprint, as the platform names its keys. */
    static ECKey generate() {
        try {
            return new ECKeyGenerator(Curve.P_256).keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.ES256)
                    .keyIDFromThumbprint(true)
                    .generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code key}'s public half as a key set (RFC 7517 §5), as its publisher serves it. */
    static String jwks(ECKey key) {
        return new JWKSet(key.toPublicJWK()).toString();
    }
}
