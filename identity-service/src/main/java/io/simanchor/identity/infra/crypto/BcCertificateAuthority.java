package io.simanchor.identity.infra.crypto;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERIA5String;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import io.quarkus.runtime.Startup;
import io.simanchor.identity.config.IdentityConfig;
import io.simanchor.identity.domain.CertificateAuthority;
import io.simanchor.identity.domain.DeviceCertificate;
import io.simanchor.support.crypto.Certificates;
import io.simanchor.support.crypto.CryptoProviders;
import io.simanchor.support.crypto.EcPublicKey;
import io.simanchor.support.crypto.KeystoreLocation;

/**
 * The device CA on Bouncy Castle's certificate builder, signing through the crypto seam's provider.
 * Created at start-up, so a bad keystore stops the service at once rather than at the first enrollment.
 */
@Startup
@ApplicationScoped
public class BcCertificateAuthority implements CertificateAuthority {

    /** id-pe-mud-url (RFC 8520 §10): the certificate names the MUD URL of the device's model. */
    static final ASN1ObjectIdentifier ID_PE_MUD_URL = new ASN1ObjectIdentifier("1.3.6.1.5.5.7.1.25");

    private final DeviceCaKeys keys;
    private final Duration validity;
    private final SecureRandom random;
    private final Clock clock;
    private final List<String> chainPem;
    /** The same in every certificate this CA issues, so computed once. */
    private final AuthorityKeyIdentifier authorityKeyIdentifier;
    private final ThreadLocal<ContentSigner> signers;

    BcCertificateAuthority(IdentityConfig config, SecureRandom random, Clock clock) {
        KeystoreLocation keystore = KeystoreLocation.of("simanchor.identity.ca", config.ca().keystorePath(),
                config.ca().keystorePassword());
        this.keys = DeviceCaKeys.loadOrCreate(keystore.path(), keystore.password(), config.ca().organization(), random,
                clock);
        this.validity = config.ca().deviceCertificateValidity();
        this.random = random;
        this.clock = clock;
        this.chainPem = List.of(Certificates.pem(keys.issuing()), Certificates.pem(keys.root()));
        this.authorityKeyIdentifier = authorityKeyIdentifier(keys.issuing());
        // Content signers hold a JCA Signature, which is not thread-safe: one per thread.
        this.signers = ThreadLocal.withInitial(this::newSigner);
    }

    @Override
    public DeviceCertificate issue(String tenantId, String deviceId, EcPublicKey key, String mudUrl) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Instant notAfter = now.plus(validity);
        BigInteger serial = new BigInteger(1, randomBytes(16)).setBit(126).clearBit(127);
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, deviceId).build();
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new X509v3CertificateBuilder(
                    X500Name.getInstance(keys.issuing().getSubjectX500Principal().getEncoded()), serial,
                    Date.from(now.minus(Duration.ofMinutes(5))), Date.from(notAfter), subject,
                    SubjectPublicKeyInfo.getInstance(key.spki()))
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false,
                            new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth))
                    .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName(
                            GeneralName.uniformResourceIdentifier,
                            "urn:simanchor:device:" + tenantId + ":" + deviceId)))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            extensions.createSubjectKeyIdentifier(SubjectPublicKeyInfo.getInstance(key.spki())))
                    .addExtension(Extension.authorityKeyIdentifier, false, authorityKeyIdentifier)
                    // RFC 8520 §10: MUDURLSyntax ::= IA5String, non-critical.
                    .addExtension(ID_PE_MUD_URL, false, new DERIA5String(mudUrl));
            X509CertificateHolder certificate = builder.build(signers.get());
            byte[] der = certificate.getEncoded();
            return new DeviceCertificate(serial.toString(16), notAfter, der, chainPem(der));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("device certificate could not be built", e);
        }
    }

    @Override
    public List<String> chainPem() {
        return chainPem;
    }

    private ContentSigner newSigner() {
        try {
            return new JcaContentSignerBuilder("SHA256withECDSA").setProvider(CryptoProviders.p256())
                    .build(keys.issuingKey());
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("device CA signer unavailable", e);
        }
    }

    private byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    private static AuthorityKeyIdentifier authorityKeyIdentifier(X509Certificate issuer) {
        try {
            return new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(issuer);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the issuing CA certificate is unusable", e);
        }
    }

}
