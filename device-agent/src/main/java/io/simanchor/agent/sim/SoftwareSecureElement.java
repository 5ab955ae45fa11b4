package io.simanchor.agent.sim;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A P-256 key in process memory: the baseline the SIM is compared with (about 0.1 ms a signature instead
 * of 476 ms), and the key inside the simulated fleet's {@link SimulatedIotSafe}s. Never for a production
 * device: the point of IoT SAFE is that the key cannot leave the SIM, so the command line refuses it in
 * the production profile.
 */
public final class SoftwareSecureElement implements SecureElement {

    private volatile KeyPair keyPair;
    private volatile List<X509Certificate> chain;

    private SoftwareSecureElement(KeyPair keyPair) {
        this.keyPair = keyPair;
    }

    /** An element with a fresh key. */
    public static SoftwareSecureElement generate(SecureRandom random) {
        return new SoftwareSecureElement(newKeyPair(random));
    }

    private static KeyPair newKeyPair(SecureRandom random) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), random);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("P-256 key generation unavailable", e);
        }
    }

    /** An element holding {@code keyPair} (a P-256 key). */
    public static SoftwareSecureElement of(KeyPair keyPair) {
        return new SoftwareSecureElement(keyPair);
    }

    /** The key pair, for {@link SoftwareKeyFile} to store. */
    KeyPair keyPair() {
        return keyPair;
    }

    /** The same signature, synchronously: the software key never waits. */
    public byte[] signNow(byte[] message) {
        return sign(keyPair, message);
    }

    private static byte[] sign(KeyPair key, byte[] message) {
        try {
            Signature signature = Signature.getInstance("SHA256withECDSA");
            signature.initSign(key.getPrivate());
            signature.update(message);
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new SecureElementException(SecureElementException.Reason.FAILED, "software signature failed", e);
        }
    }

    @Override
    public CompletionStage<NextKey> generateNextKey() {
        KeyPair next = newKeyPair(new SecureRandom());
        return CompletableFuture.completedFuture(new NextKey() {

            @Override
            public ECPublicKey publicKey() {
                return (ECPublicKey) next.getPublic();
            }

            @Override
            public CompletionStage<byte[]> sign(byte[] message) {
                return CompletableFuture.completedFuture(SoftwareSecureElement.sign(next, message));
            }

            @Override
            public CompletionStage<Void> commit(List<X509Certificate> newChain) {
                CertificateChains.requireCertifies(newChain, next.getPublic());
                keyPair = next;
                chain = List.copyOf(newChain);
                return CompletableFuture.completedFuture(null);
            }
        });
    }

    @Override
    public CompletionStage<Signed> sign(byte[] message) {
        try {
            return CompletableFuture.completedFuture(new Signed(signNow(message), false));
        } catch (SecureElementException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public ECPublicKey publicKey() {
        return (ECPublicKey) keyPair.getPublic();
    }

    @Override
    public Optional<List<X509Certificate>> certificateChain() {
        return Optional.ofNullable(chain);
    }

    @Override
    public CompletionStage<Void> storeCertificateChain(List<X509Certificate> chain) {
        CertificateChains.requireCertifies(chain, publicKey());
        this.chain = List.copyOf(chain);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public String kind() {
        return "software";
    }

    @Override
    public void close() {
        // nothing held outside the heap
    }
}
