package io.simanchor.support.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * An HMAC-SHA256 key for values a service issues and later checks itself, so that issuing them needs no
 * database write (attestation nonces, enrollment challenges). Every tag is computed over a domain label
 * and a context (the device or SIM the value is bound to), so a value made for one purpose or subject
 * never checks for another. Instances sharing the key (replicas behind a load balancer) accept each
 * other's values.
 */
public final class MacKey {

    /** The shortest key accepted: 256 bits, the HMAC-SHA256 output size (RFC 2104 §3). */
    public static final int MIN_BYTES = 32;

    /**
     * One initialised {@link Mac} per thread: a {@code Mac} is not thread-safe, and looking one up and
     * keying it for every tag cost more than the tag itself. {@code doFinal} leaves it ready for the next.
     */
    private final ThreadLocal<Mac> macs;

    public MacKey(byte[] key) {
        if (key.length < MIN_BYTES) {
            throw new IllegalArgumentException("a MAC key must have at least " + MIN_BYTES + " bytes");
        }
        SecretKeySpec spec = new SecretKeySpec(key.clone(), "HmacSHA256");
        this.macs = ThreadLocal.withInitial(() -> keyed(spec));
    }

    /**
     * Reads a configured key, standard or URL-safe base64 (secret generators produce either).
     *
     * @param property the configuration key, named in the error
     * @throws IllegalStateException when the value is not base64 or too short, so the service does not start
     */
    public static MacKey fromBase64(String configured, String property) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(configured.trim().replace('-', '+').replace('_', '/'));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(property + " is not base64");
        }
        if (bytes.length < MIN_BYTES) {
            throw new IllegalStateException(property + " must hold at least " + MIN_BYTES + " bytes");
        }
        return new MacKey(bytes);
    }

    /**
     * HMAC-SHA256 over {@code label}, a zero byte, {@code context} in UTF-8, a zero byte and the first
     * {@code length} bytes of {@code data}. Labels and contexts never contain a zero byte, so the input
     * is unambiguous.
     */
    public byte[] tag(String label, String context, byte[] data, int length) {
        byte[] labelBytes = label.getBytes(StandardCharsets.US_ASCII);
        byte[] contextBytes = context.getBytes(StandardCharsets.UTF_8);
        Mac hmac = macs.get();
        try {
            hmac.update(labelBytes);
            hmac.update((byte) 0);
            hmac.update(contextBytes);
            hmac.update((byte) 0);
            hmac.update(data, 0, length);
            return hmac.doFinal();
        } catch (RuntimeException | Error e) {
            // A bad length, say: the thread's next tag must not start with this one's input.
            hmac.reset();
            throw e;
        }
    }

    private static Mac keyed(SecretKeySpec key) {
        try {
            Mac hmac = Mac.getInstance("HmacSHA256");
            hmac.init(key);
            return hmac;
        } catch (InvalidKeyException e) {
            throw new IllegalStateException("an HMAC key was refused", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is a mandatory JCA algorithm", e);
        }
    }

    /**
     * Decodes base64url without padding, accepting exactly one spelling per value (no padding, no
     * non-zero unused bits), so a value cannot be presented twice in two spellings.
     *
     * @return the bytes, or {@code null} when {@code text} is null, longer than {@code maxChars} or not
     *         canonical base64url
     */
    public static byte[] decodeCanonicalBase64Url(String text, int maxChars) {
        if (text == null || text.length() > maxChars) {
            return null;
        }
        try {
            byte[] bytes = Base64.getUrlDecoder().decode(text);
            return base64Url(bytes).equals(text) ? bytes : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** base64url without padding. */
    public static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
