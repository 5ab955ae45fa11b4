package io.simanchor.api.events;

/**
 * An EC public key as a JSON Web Key (RFC 7517, RFC 7518 §6.2.1): the members needed to verify a
 * device signature and to recompute its RFC 7638 thumbprint.
 *
 * @param kty always {@code EC}
 * @param crv {@code P-256} for secp256r1, {@code BP-256} for brainpoolP256r1 (the two IoT SAFE curves)
 * @param x base64url of the 32-byte x coordinate
 * @param y base64url of the 32-byte y coordinate
 */
public record EcPublicJwkV1(String kty, String crv, String x, String y) {
}
