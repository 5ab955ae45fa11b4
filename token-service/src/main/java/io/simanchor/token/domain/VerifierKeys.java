package io.simanchor.token.domain;

import java.util.Optional;

import io.simanchor.support.crypto.EcPublicKey;

/** The attestation verifier's published EAR signing keys, by {@code kid}, held locally. */
public interface VerifierKeys {

    Optional<EcPublicKey> find(String keyId);
}
