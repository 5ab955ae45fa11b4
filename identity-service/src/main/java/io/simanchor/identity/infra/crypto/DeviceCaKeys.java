package io.simanchor.identity.infra.crypto;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.operator.OperatorCreationException;
import org.jboss.logging.Logger;

import io.simanchor.support.crypto.Certificates;
import io.simanchor.support.crypto.Pkcs12Files;

/**
 * The device CA's key material: a root and an issuing CA on P-256, used for nothing but device
 * certificates (GSMA CLP.13 6.5). Loaded from a PKCS#12 keystore, or generated on first start and saved
 * there (mode 600). Keys are never logged; only subjects and fingerprints are.
 *
 * @param root root CA certificate
 * @param issuing issuing CA certificate, signed by the root
 * @param issuingKey private key of the issuing CA
 */
public record DeviceCaKeys(X509Certificate root, X509Certificate issuing, PrivateKey issuingKey) {

    private static final Logger LOG = Logger.getLogger(DeviceCaKeys.class);
    private static final String ISSUING_ALIAS = "device-issuing-ca";
    private static final Duration ROOT_VALIDITY = Duration.ofDays(20 * 365);
    private static final Duration ISSUING_VALIDITY = Duration.ofDays(10 * 365);

    /** Loads the keystore at {@code path}, or generates a CA and writes it there when it does not exist. */
    public static DeviceCaKeys loadOrCreate(Optional<Path> path, char[] password, String organization,
            SecureRandom random, Clock clock) {
        try {
            if (path.isPresent() && Files.exists(path.get())) {
                DeviceCaKeys keys = load(path.get(), password);
                LOG.infof("Device CA loaded [issuing: %s]", keys.issuing().getSubjectX500Principal().getName());
                return keys;
            }
            DeviceCaKeys keys = generate(organization, random, clock);
            if (path.isPresent()) {
                try {
                    keys.save(path.get(), password);
                } catch (FileAlreadyExistsException e) {
                    // Another instance created it first: issue under its CA, not a second one.
                    DeviceCaKeys first = load(path.get(), password);
                    LOG.infof("Device CA loaded, written meanwhile by another instance [issuing: %s]",
                            first.issuing().getSubjectX500Principal().getName());
                    return first;
                }
                LOG.infof("Device CA generated and saved [issuing: %s, keystore: %s]",
                        keys.issuing().getSubjectX500Principal().getName(), path.get());
            } else {
                LOG.warn("Device CA generated in memory only (no simanchor.identity.ca.keystore-path): "
                        + "certificates will not chain after a restart");
            }
            return keys;
        } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("Device CA keystore cannot be loaded or created: " + e.getMessage(), e);
        }
    }

    private static DeviceCaKeys load(Path path, char[] password) throws IOException, GeneralSecurityException {
        KeyStore keyStore = Pkcs12Files.load(path, password);
        PrivateKey key = (PrivateKey) keyStore.getKey(ISSUING_ALIAS, password);
        var chain = keyStore.getCertificateChain(ISSUING_ALIAS);
        if (key == null || chain == null || chain.length != 2) {
            throw new GeneralSecurityException(
                    "keystore has no '" + ISSUING_ALIAS + "' entry with a 2-certificate chain");
        }
        return new DeviceCaKeys((X509Certificate) chain[1], (X509Certificate) chain[0], key);
    }

    private void save(Path path, char[] password) throws IOException, GeneralSecurityException {
        KeyStore keyStore = Pkcs12Files.empty();
        keyStore.setKeyEntry(ISSUING_ALIAS, issuingKey, password, new X509Certificate[]{issuing, root});
        Pkcs12Files.saveNew(keyStore, path, password);
    }

    private static DeviceCaKeys generate(String organization, SecureRandom random, Clock clock)
            throws GeneralSecurityException, OperatorCreationException, IOException {
        KeyPair rootKeys = Certificates.newP256KeyPair(random);
        KeyPair issuingKeys = Certificates.newP256KeyPair(random);
        Instant now = clock.instant();
        X500Name rootName = Certificates.name(organization, "SIM Anchor Device Root CA");
        X500Name issuingName = Certificates.name(organization, "SIM Anchor Device Issuing CA");
        X509Certificate root = caCertificate(rootName, rootKeys, rootName, rootKeys.getPrivate(), now,
                ROOT_VALIDITY, 1, random);
        X509Certificate issuing = caCertificate(issuingName, issuingKeys, rootName, rootKeys.getPrivate(), now,
                ISSUING_VALIDITY, 0, random);
        return new DeviceCaKeys(root, issuing, issuingKeys.getPrivate());
    }

    private static X509Certificate caCertificate(X500Name subject, KeyPair subjectKeys, X500Name issuer,
            PrivateKey signingKey, Instant now, Duration validity, int pathLength, SecureRandom random)
            throws GeneralSecurityException, OperatorCreationException, IOException {
        JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
        X509v3CertificateBuilder builder = Certificates.builder(issuer, subject, subjectKeys.getPublic(), now, validity,
                random)
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(pathLength))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                .addExtension(Extension.subjectKeyIdentifier, false,
                        extensions.createSubjectKeyIdentifier(subjectKeys.getPublic()));
        return Certificates.sign(builder, signingKey, random);
    }
}
