package io.simanchor.agent.sim;

import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The device's secure element: the IoT SAFE applet in the SIM (GSMA IoT.05), reached through a PKCS#11
 * library, or a stand-in. It holds one P-256 key that never leaves it and a certificate slot for the chain
 * the platform issued to that key.
 * <p>
 * Operations are asynchronous because a SIM signature takes about half a second (P99 1.7 s with session
 * set-up, ../shared/reference/iot-safe-latency.md). Callers must not start an operation before the
 * previous one completed: the SIM's APDU channel is serial. {@link SimSigner} enforces that, verifies
 * every signature and keeps the metrics; use it rather than an element directly.
 */
public interface SecureElement extends AutoCloseable {

    /**
     * An ECDSA P-256 signature over SHA-256 of {@code message}, DER-encoded (what JCA and PKCS#11 return).
     * Fails with {@link SecureElementException}.
     */
    CompletionStage<Signed> sign(byte[] message);

    /** The public half of the element's key. */
    ECPublicKey publicKey();

    /** The certificate chain stored in the element's certificate slot, device certificate first. */
    Optional<List<X509Certificate>> certificateChain();

    /**
     * Stores {@code chain} in the certificate slot, replacing what was there; the first certificate must
     * certify this element's key.
     */
    CompletionStage<Void> storeCertificateChain(List<X509Certificate> chain);

    /**
     * Makes a new P-256 key beside the current one, for a key rotation: the current key keeps signing
     * until the new one is committed with the certificate chain the platform issued for it.
     */
    CompletionStage<NextKey> generateNextKey();

    /** What kind of element this is, for reports ({@code pkcs11}, {@code software}, {@code iot-safe-model}). */
    String kind();

    /** Closes the session with the element. */
    @Override
    void close();

    /** A key made for a rotation that is not yet the element's key. */
    interface NextKey {

        /** Its public half. */
        ECPublicKey publicKey();

        /** A DER ECDSA P-256 / SHA-256 signature by the new key (the CSR for it). */
        CompletionStage<byte[]> sign(byte[] message);

        /**
         * Makes it the element's key, with {@code chain} (for this key) in the certificate slot; the
         * previous key is destroyed.
         */
        CompletionStage<Void> commit(List<X509Certificate> chain);
    }

    /**
     * A signature and how it was made.
     *
     * @param der the DER ECDSA signature
     * @param sessionOpened whether the element had to open a session (and log in, find the key) first, the
     *        ≈ 200 ms the agent avoids by keeping sessions open
     */
    record Signed(byte[] der, boolean sessionOpened) {
    }
}
