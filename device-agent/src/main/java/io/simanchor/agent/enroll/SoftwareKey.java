package io.simanchor.agent.enroll;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;

/**
 * A P-256 key held in process memory: the baseline that stands in for the SIM until the secure-element
 * adapters exist (issue 5). Never for production devices: the point of IoT SAFE is that the key never
 * leaves the SIM.
 */
public final class SoftwareKey {

    private final KeyPair keyPair;

    private SoftwareKey(KeyPair keyPair) {
        this.keyPair = keyPair;
    }

    /** A fresh key. */
    public static SoftwareKey generate(SecureRandom random) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), random);
            return new SoftwareKey(generator.generateKeyPair());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("P-256 key generation unavailable", e);
        }
    }

    /** The key pair, for building a CSR. */
    public KeyPair keyPair() {
        return keyPair;
    }

    /** ECDSA P-256 / SHA-256 signature, DER. */
    public byte[] sign(byte[] message) {
        try {
            Signature signature = Signature.getInstance("SHA256withECDSA");
            signature.initSign(keyPair.getPrivate());
            signature.update(message);
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("signing failed", e);
        }
    }
}
