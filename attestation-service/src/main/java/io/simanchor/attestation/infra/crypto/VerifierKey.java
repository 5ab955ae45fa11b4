package io.simanchor.attestation.infra.crypto;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.operator.OperatorCreationException;
import org.jboss.logging.Logger;

import io.simanchor.support.crypto.Certificates;
import io.simanchor.support.crypto.EcPublicKey;
import io.simanchor.support.crypto.Pkcs12Files;

/**
 * The verifier's own P-256 key, used for nothing but signing EARs (separate from the device CA, token
 * and MUD keys). Loaded from a PKCS#12 keystore shared by every instance, or generated on first start and
 * written there. The keystore needs a certificate next to the key; it is self-signed and only a carrier.
 * The key is never logged; its thumbprint ({@code kid}) is.
 *
 * @param privateKey the signing key
 * @param publicKey its public half, as relying parties fetch it
 */
public record VerifierKey(PrivateKey privateKey, EcPublicKey publicKey) {

    private static final Logger LOG = Logger.getLogger(VerifierKey.class);
    private static final String ALIAS = "ear-signing";
    private static final Duration CARRIER_VALIDITY = Duration.ofDays(10 * 365);

    /** The {@code kid} of EARs: the RFC 7638 thumbprint of the public key. */
    public String keyId() {
        return publicKey.thumbprint();
    }

    /** Loads the key from {@code path}, or generates one and writes it there when the file does not exist. */
    public static VerifierKey loadOrCreate(Optional<Path> path, char[] password, SecureRandom random, Clock clock) {
        try {
            if (path.isPresent() && Files.exists(path.get())) {
                VerifierKey key = load(path.get(), password);
                LOG.infof("EAR signing key loaded [kid: %s]", key.keyId());
                return key;
            }
            KeyPair pair = Certificates.newP256KeyPair(random);
            VerifierKey key = new VerifierKey(pair.getPrivate(), EcPublicKey.of(pair.getPublic()));
            if (path.isPresent()) {
                KeyStore keyStore = Pkcs12Files.empty();
                keyStore.setKeyEntry(ALIAS, pair.getPrivate(), password,
                        new Certificate[]{carrierCertificate(pair, random, clock)});
                Pkcs12Files.save(keyStore, path.get(), password);
                LOG.infof("EAR signing key generated and saved [kid: %s, keystore: %s]", key.keyId(), path.get());
            } else {
                LOG.warnf("EAR signing key generated in memory only [kid: %s]: EARs will not verify after a "
                        + "restart or at another instance (set simanchor.attestation.result.keystore-path)",
                        key.keyId());
            }
            return key;
        } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("EAR signing keystore cannot be loaded or created: " + e.getMessage(), e);
        }
    }

    private static VerifierKey load(Path path, char[] password) throws IOException, GeneralSecurityException {
        KeyStore keyStore = Pkcs12Files.load(path, password);
        if (!(keyStore.getKey(ALIAS, password) instanceof PrivateKey key)
                || keyStore.getCertificate(ALIAS) == null) {
            throw new GeneralSecurityException("keystore has no '" + ALIAS + "' key entry");
        }
        return new VerifierKey(key, EcPublicKey.of(keyStore.getCertificate(ALIAS).getPublicKey()));
    }

    private static X509Certificate carrierCertificate(KeyPair pair, SecureRandom random, Clock clock)
            throws GeneralSecurityException, OperatorCreationException, IOException {
        Instant now = clock.instant();
        X500Name name = new X500Name("O=SIM Anchor, CN=SIM Anchor attestation result signer");
        var builder = Certificates.builder(name, name, pair.getPublic(), now, CARRIER_VALIDITY, random)
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        return Certificates.sign(builder, pair.getPrivate(), random);
    }
}
