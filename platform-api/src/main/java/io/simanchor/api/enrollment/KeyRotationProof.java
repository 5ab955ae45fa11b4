package io.simanchor.api.enrollment;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * What a device's current key signs to rotate to a new key ({@code POST /api/v1/devices/{id}/key-rotations}):
 * a context line, the rotation challenge's nonce and the base64url SHA-256 of the new key's CSR (DER),
 * separated by newlines, UTF-8. The CSR proves possession of the new key over the nonce; this proves that
 * the holder of the enrolled key asks for it. The context is domain separation: no other signature of the
 * device can serve as a rotation proof. ECDSA P-256 with SHA-256, DER-encoded, base64 in the request's
 * {@code proof} field.
 */
public final class KeyRotationProof {

    /** First line of the signed bytes. */
    public static final String CONTEXT = "simanchor-key-rotation-v1";

    private KeyRotationProof() {
    }

    /** The bytes the current key signs for a rotation answering {@code nonce} with {@code csrDer}. */
    public static byte[] message(String nonce, byte[] csrDer) {
        try {
            String csrDigest = Base64.getUrlEncoder()
                    .withoutPadding()
                    .encodeToString(MessageDigest.getInstance("SHA-256").digest(csrDer));
            return (CONTEXT + "\n" + nonce + "\n" + csrDigest).getBytes(StandardCharsets.UTF_8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is a mandatory JCA algorithm", e);
        }
    }
}
