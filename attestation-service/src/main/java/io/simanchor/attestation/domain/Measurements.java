package io.simanchor.attestation.domain;

import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.simanchor.api.attestation.MeasurementV1;

/**
 * The shape rules of a measurement list (docs/attestation.md), the same for evidence and for reference
 * values: 1 to 64 components, each named once, each a SHA-256 digest in unpadded base64url.
 */
public final class Measurements {

    /** Most components one list may hold. */
    public static final int MAX_COMPONENTS = 64;
    private static final int SHA_256_BYTES = 32;

    private Measurements() {
    }

    /** What is wrong with {@code measurements}, or empty when they are well formed. */
    public static Optional<String> problem(List<MeasurementV1> measurements) {
        if (measurements == null || measurements.isEmpty() || measurements.size() > MAX_COMPONENTS) {
            return Optional.of("measurements lists 1 to " + MAX_COMPONENTS + " components");
        }
        Set<String> components = new HashSet<>();
        for (MeasurementV1 measurement : measurements) {
            if (measurement == null || !Text.isValid(measurement.component())
                    || !components.add(measurement.component())) {
                return Optional.of("Each measured component has a unique name of 1 to 128 characters");
            }
            if (!MeasurementV1.SHA_256.equals(measurement.alg()) || !isSha256(measurement.digest())) {
                return Optional.of("Each measurement is a sha-256 digest in unpadded base64url");
            }
        }
        return Optional.empty();
    }

    /**
     * 32 bytes in canonical unpadded base64url. The decoder ignores the last character's two unused bits,
     * so four spellings decode to the same digest; digests are compared as text, so only the one the
     * encoder writes is accepted (RFC 4648 §3.5).
     */
    private static boolean isSha256(String digest) {
        if (digest == null || digest.length() != 43) {
            return false;
        }
        try {
            byte[] bytes = Base64.getUrlDecoder().decode(digest);
            return bytes.length == SHA_256_BYTES
                    && Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).equals(digest);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
