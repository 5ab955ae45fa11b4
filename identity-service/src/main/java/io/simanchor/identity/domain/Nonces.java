package io.simanchor.identity.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/** Server nonces: 32 bytes from {@link SecureRandom}, base64url, compared by hash in constant time. */
public final class Nonces {

    private static final int NONCE_BYTES = 32;

    private final SecureRandom random;

    public Nonces(SecureRandom random) {
        this.random = random;
    }

    /** A fresh nonce. */
    public String next() {
        byte[] bytes = new byte[NONCE_BYTES];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** SHA-256 of the nonce, what is stored. */
    public static byte[] hash(String nonce) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(nonce.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is a mandatory JCA algorithm", e);
        }
    }

    /** Whether {@code presented} is the nonce whose hash is {@code expectedHash}, in constant time. */
    public static boolean matches(byte[] expectedHash, String presented) {
        return presented != null && MessageDigest.isEqual(expectedHash, hash(presented));
    }
}
