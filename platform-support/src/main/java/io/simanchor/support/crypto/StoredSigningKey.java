package io.simanchor.support.crypto;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
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

/**
 * A service's own P-256 signing key for one purpose (EARs, lifecycle records), used for nothing else
 * (GSMA CLP.13 6.5). Loaded from a PKCS#12 keystore shared by every instance, or generated on first start
 * and written there; when two instances start at once, the second finds the first one's file and loads it
 * ({@link Pkcs12Files#saveNew}), so they never sign with two different keys. The keystore needs a
 * certificate next to the key; it is self-signed and only a carrier. The key is never logged; its
 * thumbprint ({@code kid}) is.
 *
 * @param privateKey the signing key
 * @param publicKey its public half, as relying parties fetch it
 */
public record StoredSigningKey(PrivateKey privateKey, EcPublicKey publicKey) {

    private static final Logger LOG = Logger.getLogger(StoredSigningKey.class);
    private static final Duration CARRIER_VALIDITY = Duration.ofDays(10 * 365);

    /**
     * What a key is for: its keystore alias, the carrier certificate's common name, and the configuration
     * key of its keystore path (named in the warning when there is none).
     */
    public record Purpose(String alias, String commonName, String pathSetting) {
    }

    /** The {@code kid} of what it signs: the RFC 7638 thumbprint of the public key. */
    public String keyId() {
        return publicKey.thumbprint();
    }

    /** Loads the key from {@code path}, or generates one and writes it there when the file does not exist. */
    public static StoredSigningKey loadOrCreate(Purpose purpose, Optional<Path> path, char[] password,
            SecureRandom random, Clock clock) {
        try {
            if (path.isPresent() && Files.exists(path.get())) {
                StoredSigningKey key = load(purpose, path.get(), password);
                LOG.infof("Signing key loaded [purpose: %s, kid: %s]", purpose.alias(), key.keyId());
                return key;
            }
            KeyPair pair = Certificates.newP256KeyPair(random);
            StoredSigningKey key = new StoredSigningKey(pair.getPrivate(), EcPublicKey.of(pair.getPublic()));
            if (path.isEmpty()) {
                LOG.warnf("Signing key generated in memory only [purpose: %s, kid: %s]: what it signs will not "
                        + "verify after a restart or at another instance (set %s)", purpose.alias(), key.keyId(),
                        purpose.pathSetting());
                return key;
            }
            KeyStore keyStore = Pkcs12Files.empty();
            keyStore.setKeyEntry(purpose.alias(), pair.getPrivate(), password,
                    new Certificate[]{carrierCertificate(purpose, pair, random, clock)});
            try {
                Pkcs12Files.saveNew(keyStore, path.get(), password);
            } catch (FileAlreadyExistsException e) {
                // Another instance created it first: sign with its key, not a second one.
                StoredSigningKey first = load(purpose, path.get(), password);
                LOG.infof("Signing key loaded, written meanwhile by another instance [purpose: %s, kid: %s]",
                        purpose.alias(), first.keyId());
                return first;
            }
            LOG.infof("Signing key generated and saved [purpose: %s, kid: %s, keystore: %s]", purpose.alias(),
                    key.keyId(), path.get());
            return key;
        } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException(
                    "The " + purpose.alias() + " keystore cannot be loaded or created: " + e.getMessage(), e);
        }
    }

    /** Loads the key from an existing keystore at {@code path}; never creates one (for tools beside a service). */
    public static StoredSigningKey loadExisting(Purpose purpose, Path path, char[] password) {
        try {
            return load(purpose, path, password);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(
                    "The " + purpose.alias() + " keystore " + path + " cannot be loaded: " + e.getMessage(), e);
        }
    }

    private static StoredSigningKey load(Purpose purpose, Path path, char[] password)
            throws IOException, GeneralSecurityException {
        KeyStore keyStore = Pkcs12Files.load(path, password);
        if (!(keyStore.getKey(purpose.alias(), password) instanceof PrivateKey key)
                || keyStore.getCertificate(purpose.alias()) == null) {
            throw new GeneralSecurityException("keystore has no '" + purpose.alias() + "' key entry");
        }
        return new StoredSigningKey(key, EcPublicKey.of(keyStore.getCertificate(purpose.alias()).getPublicKey()));
    }

    private static X509Certificate carrierCertificate(Purpose purpose, KeyPair pair, SecureRandom random,
            Clock clock) throws GeneralSecurityException, OperatorCreationException, IOException {
        Instant now = clock.instant();
        X500Name name = new X500Name("O=SIM Anchor, CN=" + purpose.commonName());
        var builder = Certificates.builder(name, name, pair.getPublic(), now, CARRIER_VALIDITY, random)
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        return Certificates.sign(builder, pair.getPrivate(), random);
    }
}
