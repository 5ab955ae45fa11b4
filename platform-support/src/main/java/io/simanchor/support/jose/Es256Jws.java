package io.simanchor.support.jose;

import java.util.Optional;
import java.util.Set;

import io.simanchor.support.crypto.EcCurve;
import io.simanchor.support.crypto.EcPublicKey;
import io.simanchor.support.crypto.EcdsaVerifier;

/**
 * The JWS signature rules every SIM Anchor verifier applies, whatever the token's profile: one algorithm
 * named by the verifier (RFC 8725 §3.1), no key taken from the token, no critical extensions, and an ES256
 * signature (RFC 7518 §3.4, R || S) that verifies with a key the verifier already holds, through the
 * platform's ECDSA seam. The Wycheproof JWS and P1363 vectors run through exactly these two methods.
 */
public final class Es256Jws {

    /** RFC 8725 §3.1: one algorithm, named explicitly; never taken from the token. */
    public static final String ALG = "ES256";
    /** Header parameters that carry or point to a key (RFC 7515 §4.1.2 to §4.1.7). */
    public static final Set<String> KEY_PARAMETERS = Set.of("jwk", "jku", "x5c", "x5u", "x5t", "x5t#S256");

    /** Why a header cannot be accepted. */
    public enum HeaderViolation {
        /** {@code alg} is not ES256 ({@code none}, HS256, ES384, ...). */
        ALG_NOT_ALLOWED,
        /** The header carries or points to a key. */
        EMBEDDED_KEY,
        /** RFC 7515 §4.1.11: a recipient that does not understand a critical extension must reject. */
        CRIT_UNSUPPORTED
    }

    private Es256Jws() {
    }

    /** Why the header cannot be accepted, or empty. Needs no key, so it runs before any lookup. */
    public static Optional<HeaderViolation> headerViolation(JwsHeader header) {
        if (!ALG.equals(header.alg())) {
            return Optional.of(HeaderViolation.ALG_NOT_ALLOWED);
        }
        if (header.parameterNames().stream().anyMatch(KEY_PARAMETERS::contains)) {
            return Optional.of(HeaderViolation.EMBEDDED_KEY);
        }
        if (header.parameterNames().contains("crit")) {
            return Optional.of(HeaderViolation.CRIT_UNSUPPORTED);
        }
        return Optional.empty();
    }

    /** Whether {@code signature} is a valid ES256 signature of {@code signingInput} by {@code key}. */
    public static boolean verifies(EcPublicKey key, byte[] signingInput, byte[] signature) {
        return key.curve() == EcCurve.SECP256R1 && EcdsaVerifier.verifyP1363(key, signingInput, signature);
    }
}
