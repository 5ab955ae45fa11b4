package io.simanchor.agent.device;

import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.simanchor.agent.http.MalformedAnswerException;

/**
 * The few claims the device reads from tokens the platform gives it (it does not verify them: the relying
 * parties do; it only needs to know when they expire and when they were issued).
 */
record JwtClaims(Instant issuedAt, Instant expiresAt) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The {@code iat} and {@code exp} of a compact JWS; fails with {@link MalformedAnswerException}. */
    static JwtClaims of(String compactJws, String what) {
        String[] parts = compactJws.split("\\.", -1);
        if (parts.length != 3) {
            throw new MalformedAnswerException(what + " is not a compact JWS");
        }
        try {
            JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
            if (!claims.path("iat").canConvertToLong() || !claims.path("exp").canConvertToLong()) {
                throw new MalformedAnswerException(what + " lacks iat or exp");
            }
            Instant issuedAt = Instant.ofEpochSecond(claims.get("iat").asLong());
            Instant expiresAt = Instant.ofEpochSecond(claims.get("exp").asLong());
            if (!expiresAt.isAfter(issuedAt)) {
                throw new MalformedAnswerException(what + " expires before it was issued");
            }
            return new JwtClaims(issuedAt, expiresAt);
        } catch (java.io.IOException | IllegalArgumentException e) {
            throw new MalformedAnswerException(what + " has unreadable claims");
        }
    }

    Duration lifetime() {
        return Duration.between(issuedAt, expiresAt);
    }
}
