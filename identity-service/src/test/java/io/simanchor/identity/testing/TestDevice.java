package io.simanchor.identity.testing;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;

import io.simanchor.support.crypto.CryptoProviders;
import io.simanchor.support.crypto.EcPublicKey;

/** A simulated device for tests: an ICCID and a key (any algorithm, to test refusals), and CSRs. */
public final class TestDevice {

    private final String iccid;
    private KeyPair keys;

    private TestDevice(String iccid, KeyPair keys) {
        this.iccid = iccid;
        this.keys = keys;
    }

    /** A device with a fresh P-256 key and a random ICCID. */
    public static TestDevice p256() {
        return withKey("EC", new ECGenParameterSpec("secp256r1"));
    }

    /** A device with a brainpoolP256r1 key. */
    public static TestDevice brainpool() {
        return withKey("EC", new ECGenParameterSpec("brainpoolP256r1"));
    }

    /** A device with a P-384 key, which the platform refuses. */
    public static TestDevice p384() {
        return withKey("EC", new ECGenParameterSpec("secp384r1"));
    }

    /** A device with an RSA key, which the platform refuses. */
    public static TestDevice rsa() {
        return withKey("RSA", null);
    }

    private static TestDevice withKey(String algorithm, ECGenParameterSpec spec) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm, CryptoProviders.bouncyCastle());
            if (spec != null) {
                generator.initialize(spec);
            } else {
                generator.initialize(2048);
            }
            return new TestDevice(randomIccid(), generator.generateKeyPair());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A new device (random ICCID) holding an existing key. */
    public static TestDevice withKeyPair(KeyPair keys) {
        return new TestDevice(randomIccid(), keys);
    }

    /** A device with the same key as this one but another ICCID (a cloned key). */
    public TestDevice cloneKeyTo(TestDevice other) {
        return new TestDevice(other.iccid, keys);
    }

    /** Gives this device a new P-256 key (before a key rotation). */
    public KeyPair replaceKey() {
        KeyPair old = keys;
        keys = p256().keys;
        return old;
    }

    public String iccid() {
        return iccid;
    }

    public KeyPair keys() {
        return keys;
    }

    /** The public key as the platform sees it. */
    public EcPublicKey publicKey() {
        return EcPublicKey.of(keys.getPublic());
    }

    /** Base64 DER SubjectPublicKeyInfo, the manifest's {@code simPublicKey}. */
    public String spkiBase64() {
        return Base64.getEncoder().encodeToString(keys.getPublic().getEncoded());
    }

    /** A CSR answering {@code nonce}, signed by this device's key. */
    public String csr(String nonce) {
        return pem(csrDer(nonce));
    }

    /** A CSR answering {@code nonce}, DER. */
    public byte[] csrDer(String nonce) {
        try {
            JcaPKCS10CertificationRequestBuilder builder = new JcaPKCS10CertificationRequestBuilder(
                    new X500Name("CN=test-device"), keys.getPublic());
            if (nonce != null) {
                builder.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_challengePassword,
                        (ASN1Encodable) new DERUTF8String(nonce));
            }
            String algorithm = keys.getPrivate().getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
            PKCS10CertificationRequest csr = builder
                    .build(new JcaContentSignerBuilder(algorithm).setProvider(CryptoProviders.bouncyCastle())
                            .build(keys.getPrivate()));
            return csr.getEncoded();
        } catch (OperatorCreationException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** ECDSA P-256 / SHA-256 DER signature of this device's current key, base64. */
    public String signBase64(byte[] message) {
        return Base64.getEncoder().encodeToString(sign(keys, message));
    }

    /** ECDSA / SHA-256 DER signature with {@code keys}. */
    public static byte[] sign(KeyPair keys, byte[] message) {
        try {
            Signature signature = Signature.getInstance("SHA256withECDSA", CryptoProviders.bouncyCastle());
            signature.initSign(keys.getPrivate());
            signature.update(message);
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** PEM with any label. */
    public static String pem(String label, byte[] der) {
        StringWriter out = new StringWriter();
        try (PemWriter writer = new PemWriter(out)) {
            writer.writeObject(new PemObject(label, der));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** PEM {@code CERTIFICATE REQUEST}. */
    public static String pem(byte[] csrDer) {
        return pem("CERTIFICATE REQUEST", csrDer);
    }

    /** A 19-digit ICCID that no other test uses. */
    public static String randomIccid() {
        StringBuilder iccid = new StringBuilder("89882");
        for (int i = 0; i < 14; i++) {
            iccid.append(ThreadLocalRandom.current().nextInt(10));
        }
        return iccid.toString();
    }

    /** A random 15-digit IMEI. */
    public static String randomImei() {
        StringBuilder imei = new StringBuilder();
        for (int i = 0; i < 15; i++) {
            imei.append(ThreadLocalRandom.current().nextInt(10));
        }
        return imei.toString();
    }
}
