package io.simanchor.api.attestation;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

/**
 * The UEID (RFC 9711 §4.2.1) of a SIM Anchor device: type 0x01 (RAND) followed by the 16 bytes of the
 * device id, which is a random (version 4) UUID assigned at enrollment. The verifier finds the device and
 * its enrolled key from it; the nonce binds the evidence to the same device.
 */
public final class Ueid {

    /** UEID type byte for a random identifier (RFC 9711 §4.2.1.1). */
    static final byte TYPE_RAND = 0x01;

    private Ueid() {
    }

    /** The base64url UEID of {@code deviceId}. */
    public static String of(String deviceId) {
        UUID id = UUID.fromString(deviceId);
        ByteBuffer bytes = ByteBuffer.allocate(17);
        bytes.put(TYPE_RAND).putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
    }

    /** The device id a UEID names, or empty when it is not a SIM Anchor device UEID. */
    public static Optional<String> deviceId(String ueid) {
        if (ueid == null || ueid.length() != 23) {
            return Optional.empty();
        }
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(ueid);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (bytes.length != 17 || bytes[0] != TYPE_RAND) {
            return Optional.empty();
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes, 1, 16);
        String deviceId = new UUID(buffer.getLong(), buffer.getLong()).toString();
        // Refuse non-canonical spellings (trailing bits in the last base64 character) by re-encoding.
        return of(deviceId).equals(ueid) ? Optional.of(deviceId) : Optional.empty();
    }
}
