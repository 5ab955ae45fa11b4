package io.simanchor.mud.infra.crypto;

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

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
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
 * The MUD signing key and its certificate chain (a MUD signing root and the signer), used for MUD files
 * only. Loaded from a PKCS#12 keystore, or generated on first start and saved there (mode 600). The
 * signer certificate has key usage digitalSignature, which RFC 8520 §13.2 requires, no extended key usage
 * (so {@code openssl cms -verify} accepts it for its default S/MIME purpose), and {@code id-pe-mudsigner}
 * (RFC 8520 §12) naming itself as the MUD signer.
 *
 * @param root the MUD signing root, the trust anchor verifiers configure
 * @param signer the signer certificate, issued by the root
 * @param signerKey the signer's private key
 */
public record MudSignerKeys(X509Certificate root, X509Certificate signer, PrivateKey signerKey) {

    /** id-pe-mudsigner (RFC 8520 §12): the subject of the certificate that signs the model's MUD files. */
    static final ASN1ObjectIdentifier ID_PE_MUD_SIGNER = new ASN1ObjectIdentifier("1.3.6.1.5.5.7.1.30");

    private static final Logger LOG = Logger.getLogger(MudSignerKeys.class);
    private static final String ALIAS = "mud-signer";
    private static final Duration ROOT_VALIDITY = Duration.ofDays(20 * 365);
    /**
     * Long, on purpose: a known field pain is signatures that stop verifying when the signer certificate
     * expires (RFC 8520 §13.2 has no time-stamping), so the signer outlives any cached file by far.
     */
    private static final Duration SIGNER_VALIDITY = Duration.ofDays(10 * 365);

    /** Loads the keystore at {@code path}, or generates the keys and writes them there when it does not exist. */
    public static MudSignerKeys loadOrCreate(Optional<Path> path, char[] password, String organization,
            SecureRandom random, Clock clock) {
        try {
            if (path.isPresent() && Files.exists(path.get())) {
                MudSignerKeys keys = load(path.get(), password);
                LOG.infof("MUD signing key loaded [signer: %s]", keys.signer().getSubjectX500Principal().getName());
                return keys;
            }
            MudSignerKeys keys = generate(organization, random, clock);
            if (path.isPresent()) {
                KeyStore keyStore = Pkcs12Files.empty();
                keyStore.setKeyEntry(ALIAS, keys.signerKey(), password,
                        new X509Certificate[]{keys.signer(), keys.root()});
                try {
                    Pkcs12Files.saveNew(keyStore, path.get(), password);
                } catch (FileAlreadyExistsException e) {
                    // Another instance created it first: sign with its key, not a second one.
                    MudSignerKeys first = load(path.get(), password);
                    LOG.infof("MUD signing key loaded, written meanwhile by another instance [signer: %s]",
                            first.signer().getSubjectX500Principal().getName());
                    return first;
                }
                LOG.infof("MUD signing key generated and saved [signer: %s, keystore: %s]",
                        keys.signer().getSubjectX500Principal().getName(), path.get());
            } else {
                LOG.warn("MUD signing key generated in memory only (no simanchor.mud.signer.keystore-path): "
                        + "signatures will not verify against a new chain after a restart");
            }
            return keys;
        } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("MUD signing keystore cannot be loaded or created: " + e.getMessage(), e);
        }
    }

    private static MudSignerKeys load(Path path, char[] password) throws IOException, GeneralSecurityException {
        KeyStore keyStore = Pkcs12Files.load(path, password);
        PrivateKey key = (PrivateKey) keyStore.getKey(ALIAS, password);
        var chain = keyStore.getCertificateChain(ALIAS);
        if (key == null || chain == null || chain.length != 2) {
            throw new GeneralSecurityException("keystore has no '" + ALIAS + "' entry with a 2-certificate chain");
        }
        return new MudSignerKeys((X509Certificate) chain[1], (X509Certificate) chain[0], key);
    }

    private static MudSignerKeys generate(String organization, SecureRandom random, Clock clock)
            throws GeneralSecurityException, OperatorCreationException, IOException {
        KeyPair rootKeys = Certificates.newP256KeyPair(random);
        KeyPair signerKeys = Certificates.newP256KeyPair(random);
        Instant now = clock.instant();
        X500Name rootName = Certificates.name(organization, "SIM Anchor MUD Signing Root");
        X500Name signerName = Certificates.name(organization, "SIM Anchor MUD Signer");
        JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
        X509v3CertificateBuilder root = Certificates
                .builder(rootName, rootName, rootKeys.getPublic(), now, ROOT_VALIDITY, random)
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                .addExtension(Extension.subjectKeyIdentifier, false,
                        extensions.createSubjectKeyIdentifier(rootKeys.getPublic()));
        X509Certificate rootCertificate = Certificates.sign(root, rootKeys.getPrivate(), random);
        X509v3CertificateBuilder signer = Certificates
                .builder(rootName, signerName, signerKeys.getPublic(), now, SIGNER_VALIDITY, random)
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                .addExtension(Extension.subjectKeyIdentifier, false,
                        extensions.createSubjectKeyIdentifier(signerKeys.getPublic()))
                .addExtension(Extension.authorityKeyIdentifier, false,
                        extensions.createAuthorityKeyIdentifier(rootCertificate))
                .addExtension(ID_PE_MUD_SIGNER, false, signerName);
        return new MudSignerKeys(rootCertificate, Certificates.sign(signer, rootKeys.getPrivate(), random),
                signerKeys.getPrivate());
    }
}
