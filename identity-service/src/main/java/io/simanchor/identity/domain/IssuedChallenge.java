package io.simanchor.identity.domain;

import java.time.Instant;
import java.util.UUID;

/**
 * What a device receives: the challenge id and the nonce itself (never stored by the service).
 *
 * @param id challenge id
 * @param nonce base64url of 32 random bytes
 * @param expiresAt end of validity
 */
public record IssuedChallenge(UUID id, String nonce, Instant expiresAt) {
}
