package io.simanchor.token.domain;

import java.time.Duration;

/**
 * An access token as the RFC 6749 §5.1 response carries it.
 *
 * @param accessToken the JWT (RFC 9068)
 * @param expiresIn its lifetime
 * @param scope the granted scope
 */
public record IssuedToken(String accessToken, Duration expiresIn, String scope) {
}
