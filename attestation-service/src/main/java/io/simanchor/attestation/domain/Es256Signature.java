package io.simanchor.attestation.domain;

import java.util.Optional;
import java.util.Set;

import io.simanchor.support.crypto.EcCurve;
import io.simanchor.support.crypto.EcPublicKey;
import io.simanchor.support.crypto.EcdsaVerifier;
import io.simanchor.support.problem.ProblemType;

/**
 * The JWS signature rules for evidence, apart from the EAT profile: one algorithm named by the verifier
 * (RFC 8725 §3.1), no key taken from the token, no critical extensions, and an ES256 signature (RFC 7518
 * §3.4, R || S) that verifies with the enrolled key through the platform's ECDSA seam. The Wycheproof JWS
 * and P1363 vectors are run through exactly these two methods.
 */
public final class Es256Signature {

    /** RFC 8725 §3.1: one algorithm, named explicitly; never taken from the token. */
    public static final String ALG = "ES256";
    /** Header parameters that carry or point to a key (RFC 7515 §4.1.2 to §4.1.7). */
    public static final Set<String> KEY_PARAMETERS = Set.of("jwk", "jku", "x5c", "x5u", "x5t", "x5t#S256");

    private Es256Signature() {
    }

    /** Why the header cannot be accepted, or empty. Needs no key, so it runs before any lookup. */
    public static Optional<ProblemType> headerProblem(EvidenceHeader header) {
        if (!ALG.equals(header.alg())) {
            return Optional.of(AttestationProblems.ALG_NOT_ALLOWED);
        }
        if (header.parameterNames().stream().anyMatch(KEY_PARAMETERS::contains)) {
            return Optional.of(AttestationProblems.EMBEDDED_KEY_REFUSED);
        }
        if (header.parameterNames().contains("crit")) {
            // RFC 7515 §4.1.11: a recipient that does not understand a critical extension must reject.
            return Optional.of(AttestationProblems.CRIT_UNSUPPORTED);
        }
        return Optional.empty();
    }

    /** Whether {@code signature} is a valid ES256 signature of {@code signingInput} by {@code key}. */
    public static boolean verifies(EcPublicKey key, byte[] signingInput, byte[] signature) {
        return key.curve() == EcCurve.SECP256R1 && EcdsaVerifier.verifyP1363(key, signingInput, signature);
    }
}
