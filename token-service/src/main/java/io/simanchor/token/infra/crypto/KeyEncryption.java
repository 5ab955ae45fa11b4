package io.simanchor.token.infra.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

/**
 * Encrypts signing keys at rest: AES-256-GCM (NIST SP 800-38D) with a fresh 96-bit IV per key and the
 * key id as additional authenticated data, so a stored key cannot be swapped onto another row unnoticed.
 * Stored form: IV || ciphertext || tag. The AES key is derived from the configured secret (at least 32
 * bytes) with HKDF-SHA256 (RFC 5869), so a secret of any format-safe length works and this key is bound
 * to its one purpose.
 */
public final class KeyEncryption {

    private static final int KEY_BYTES = 32;
    private static final byte[] HKDF_INFO = "simanchor token-service signing keys at rest v1"
            .getBytes(StandardCharsets.US_ASCII);
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeySpec key;
    private final SecureRandom random;

    private KeyEncryption(byte[] key, SecureRandom random) {
        this.key = new SecretKeySpec(key, "AES");
        this.random = random;
    }

    /** From the configured base64 secret (standard or URL-safe alphabet, at least 32 bytes). */
    public static KeyEncryption fromBase64(String encoded, SecureRandom random) {
        byte[] secret;
        try {
            secret = Base64.getDecoder().decode(encoded.trim().replace('-', '+').replace('_', '/'));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("simanchor.token.keys.encryption-key is not base64");
        }
        if (secret.length < KEY_BYTES) {
            throw new IllegalStateException("simanchor.token.keys.encryption-key must hold at least 32 bytes");
        }
        HKDFBytesGenerator hkdf = new HKDFBytesGenerator(SHA256Digest.newInstance());
        hkdf.init(new HKDFParameters(secret, null, HKDF_INFO));
        byte[] key = new byte[KEY_BYTES];
        hkdf.generateBytes(key, 0, KEY_BYTES);
        return new KeyEncryption(key, random);
    }

    public byte[] encrypt(byte[] plaintext, String keyId) {
        byte[] iv = new byte[IV_BYTES];
        random.nextBytes(iv);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(keyId.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext);
            return ByteBuffer.allocate(IV_BYTES + sealed.length).put(iv).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    /** Throws {@link IllegalStateException} when the key or the AAD does not match (wrong secret, moved row). */
    public byte[] decrypt(byte[] stored, String keyId) {
        if (stored.length <= IV_BYTES) {
            throw new IllegalStateException("stored signing key " + keyId + " is truncated");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, Arrays.copyOf(stored, IV_BYTES)));
            cipher.updateAAD(keyId.getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(stored, IV_BYTES, stored.length - IV_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("signing key " + keyId
                    + " cannot be decrypted: is simanchor.token.keys.encryption-key the one it was stored with?");
        }
    }
}
