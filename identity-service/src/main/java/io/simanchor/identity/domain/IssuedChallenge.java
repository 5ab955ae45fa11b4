package io.simanchor.identity.domain;

import java.time.Instant;

/**
 * What a device receives: the challenge id it sends back and the nonce its CSR must carry.
 *
 * @param id challenge id (opaque to the device)
 * @param nonce base64url of 32 unpredictable bytes
 * @param expiresAt end of validity
 */
public record IssuedChallenge(String id, String nonce, Instant expiresAt) {
}
