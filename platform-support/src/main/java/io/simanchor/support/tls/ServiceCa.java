package io.simanchor.support.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.operator.OperatorCreationException;

import io.simanchor.support.crypto.Certificates;
import io.simanchor.support.crypto.PemCodec;
import io.simanchor.support.crypto.Pkcs12Files;

/**
 * The platform's service CA (issue 28, point 1): the trust anchor of every connection between the
 * platform's own components (the services' REST and gRPC listeners, Kafka, PostgreSQL, Keycloak) and of the
 * principals Kafka authorizes. It is not the device CA, which issues device certificates and is trusted by
 * other parties for other reasons; a key of one can never pass for the other.
 *
 * <p>
 * Everything lives in one directory, created once and reused. Files are written atomically with mode 600;
 * the CA's keystore and a component's first keystore are linked into place only if none is there, so two
 * launchers racing produce one CA and one key per component:
 * <ul>
 * <li>{@code service-ca.p12}: the CA's key and certificate (password in {@code service-ca.p12.password});
 * only this class reads it;</li>
 * <li>{@code service-ca.crt}: the CA certificate in PEM, the one file every client trusts;</li>
 * <li>{@code <component>.p12} (password in {@code <component>.p12.password}): the component's key and its
 * certificate chain, for Java servers and clients;</li>
 * <li>{@code <component>.crt} and {@code <component>.key}: the same in PEM (chain, unencrypted PKCS#8 key),
 * for PostgreSQL and Keycloak.</li>
 * </ul>
 * A component's certificate names it as {@code CN=<component>, O=SIM Anchor platform}: Kafka maps that
 * subject to the principal {@code User:<component>} ({@link #KAFKA_PRINCIPAL_MAPPING_RULE}). Its subject
 * alternative names are the names clients use: {@code localhost}, {@code 127.0.0.1} and the component's own
 * name (its Kubernetes Service name). A server component serves TLS and authenticates as a client with the
 * same key; a client-only one ({@link Usage#CLIENT}: {@code simanchor-admin}, {@code monitoring}) gets
 * neither server authentication nor those names, so its key can never pass for a server.
 *
 * <p>
 * A component certificate is issued again (for the same key) within 30 days of its expiry, and with a new
 * key when it is not signed by the CA in the directory (the CA was replaced: delete {@code service-ca.p12}
 * to rotate it) or was issued for another usage. The PEM files always follow their keystore. A process
 * already running keeps the certificate it loaded until it restarts.
 */
public final class ServiceCa {

    /** The organization of every subject this CA issues. */
    public static final String ORGANIZATION = "SIM Anchor platform";

    /**
     * Kafka's {@code ssl.principal.mapping.rules}: a certificate of this CA authenticates as
     * {@code User:<CN>}; any other subject matches no rule, and Kafka refuses the connection.
     */
    public static final String KAFKA_PRINCIPAL_MAPPING_RULE = "RULE:^CN=([a-z0-9-]+),O=" + ORGANIZATION + "$/$1/";

    /** The CA certificate in PEM, the file clients trust. */
    public static final String CA_CERTIFICATE = "service-ca.crt";

    private static final String CA_KEYSTORE = "service-ca.p12";
    private static final String ALIAS = "key";
    private static final Duration CA_VALIDITY = Duration.ofDays(3650);
    private static final Duration CERTIFICATE_VALIDITY = Duration.ofDays(397);
    /** A certificate that expires sooner than this is issued again. */
    private static final Duration RENEW_BEFORE = Duration.ofDays(30);
    private static final Pattern COMPONENT = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    private final Path directory;
    private final PrivateKey caKey;
    private final X509Certificate caCertificate;
    private final Clock clock;
    private final SecureRandom random;

    private ServiceCa(Path directory, PrivateKey caKey, X509Certificate caCertificate, Clock clock,
            SecureRandom random) {
        this.directory = directory;
        this.caKey = caKey;
        this.caCertificate = caCertificate;
        this.clock = clock;
        this.random = random;
    }

    /** What a component's certificate lets it do. */
    public enum Usage {
        /** Serve TLS (server authentication, with the names clients use) and authenticate as a client. */
        SERVER_AND_CLIENT,
        /** Authenticate as a client only. */
        CLIENT
    }

    /** The CA in {@code directory}, created there first if it is not there yet. */
    public static ServiceCa openOrCreate(Path directory, Clock clock, SecureRandom random)
            throws IOException, GeneralSecurityException {
        Files.createDirectories(directory);
        Path keystore = directory.resolve(CA_KEYSTORE);
        if (!Files.exists(keystore)) {
            create(directory, clock, random);
        }
        char[] password = password(directory, CA_KEYSTORE, random);
        KeyStore loaded = Pkcs12Files.load(keystore, password);
        var ca = new ServiceCa(directory, (PrivateKey) loaded.getKey(ALIAS, password),
                (X509Certificate) loaded.getCertificate(ALIAS), clock, random);
        writeIfChanged(directory.resolve(CA_CERTIFICATE), Certificates.pem(ca.caCertificate));
        return ca;
    }

    private static void create(Path directory, Clock clock, SecureRandom random)
            throws IOException, GeneralSecurityException {
        KeyPair pair = Certificates.newP256KeyPair(random);
        X500Name name = Certificates.name(ORGANIZATION, "SIM Anchor service CA");
        X509v3CertificateBuilder builder = Certificates.builder(name, name, pair.getPublic(), clock.instant(),
                CA_VALIDITY, random);
        var extensions = new JcaX509ExtensionUtils();
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                .addExtension(Extension.subjectKeyIdentifier, false,
                        extensions.createSubjectKeyIdentifier(pair.getPublic()));
        X509Certificate certificate = signed(builder, pair.getPrivate(), random);
        char[] password = password(directory, CA_KEYSTORE, random);
        KeyStore keyStore = Pkcs12Files.empty();
        keyStore.setKeyEntry(ALIAS, pair.getPrivate(), password, new Certificate[]{certificate});
        saveOnce(keyStore, directory.resolve(CA_KEYSTORE), password);
    }

    /** The CA certificate: what every client of the platform's components trusts. */
    public X509Certificate certificate() {
        return caCertificate;
    }

    /** {@code service-ca.crt}. */
    public Path certificateFile() {
        return directory.resolve(CA_CERTIFICATE);
    }

    /** The keys of a server component ({@link Usage#SERVER_AND_CLIENT}). */
    public ComponentKeys keysOf(String component) throws IOException, GeneralSecurityException {
        return keysOf(component, Usage.SERVER_AND_CLIENT);
    }

    /**
     * The key and certificate of {@code component}, issued now if it has none, again for the same key if its
     * certificate expires within 30 days, and with a new key if its certificate is not this CA's or not for
     * {@code usage}.
     *
     * @param component the component's name, which is its certificate's CN and its Kafka principal
     */
    public ComponentKeys keysOf(String component, Usage usage) throws IOException, GeneralSecurityException {
        if (!COMPONENT.matcher(component).matches()) {
            throw new IllegalArgumentException("component names are lower-case letters, digits and '-': " + component);
        }
        Path keystore = directory.resolve(component + ".p12");
        char[] password = password(directory, component + ".p12", random);
        if (!Files.exists(keystore)) {
            saveOnce(issued(component, usage, Certificates.newP256KeyPair(random), password), keystore, password);
        }
        KeyStore loaded = Pkcs12Files.load(keystore, password);
        X509Certificate certificate = (X509Certificate) loaded.getCertificate(ALIAS);
        PrivateKey key = (PrivateKey) loaded.getKey(ALIAS, password);
        if (!issuedByThisCa(certificate) || usage != usageOf(certificate)) {
            loaded = issued(component, usage, Certificates.newP256KeyPair(random), password);
            Pkcs12Files.replace(loaded, keystore, password);
        } else if (certificate.getNotAfter().toInstant().isBefore(clock.instant().plus(RENEW_BEFORE))) {
            loaded = issued(component, usage, new KeyPair(certificate.getPublicKey(), key), password);
            Pkcs12Files.replace(loaded, keystore, password);
        }
        certificate = (X509Certificate) loaded.getCertificate(ALIAS);
        key = (PrivateKey) loaded.getKey(ALIAS, password);
        writeIfChanged(directory.resolve(component + ".crt"),
                Certificates.pem(certificate) + Certificates.pem(caCertificate));
        writeIfChanged(directory.resolve(component + ".key"), PemCodec.encode("PRIVATE KEY", key.getEncoded()));
        return new ComponentKeys(component, keystore, new String(password), certificate);
    }

    private boolean issuedByThisCa(X509Certificate certificate) {
        try {
            certificate.verify(caCertificate.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static Usage usageOf(X509Certificate certificate) throws GeneralSecurityException {
        List<String> purposes = certificate.getExtendedKeyUsage();
        return purposes != null && purposes.contains(KeyPurposeId.id_kp_serverAuth.getId())
                ? Usage.SERVER_AND_CLIENT
                : Usage.CLIENT;
    }

    private KeyStore issued(String component, Usage usage, KeyPair pair, char[] password)
            throws IOException, GeneralSecurityException {
        X509v3CertificateBuilder builder = Certificates.builder(
                X500Name.getInstance(caCertificate.getSubjectX500Principal().getEncoded()),
                Certificates.name(ORGANIZATION, component), pair.getPublic(), clock.instant(), CERTIFICATE_VALIDITY,
                random);
        var extensions = new JcaX509ExtensionUtils();
        boolean server = usage == Usage.SERVER_AND_CLIENT;
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(server
                        ? new KeyPurposeId[]{KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}
                        : new KeyPurposeId[]{KeyPurposeId.id_kp_clientAuth}));
        if (server) {
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[]{
                    new GeneralName(GeneralName.dNSName, component), new GeneralName(GeneralName.dNSName, "localhost"),
                    new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
        }
        builder.addExtension(Extension.authorityKeyIdentifier, false,
                extensions.createAuthorityKeyIdentifier(caCertificate))
                .addExtension(Extension.subjectKeyIdentifier, false,
                        extensions.createSubjectKeyIdentifier(pair.getPublic()));
        X509Certificate certificate = signed(builder, caKey, random);
        KeyStore keyStore = Pkcs12Files.empty();
        keyStore.setKeyEntry(ALIAS, pair.getPrivate(), password, new Certificate[]{certificate, caCertificate});
        return keyStore;
    }

    private static X509Certificate signed(X509v3CertificateBuilder builder, PrivateKey issuer, SecureRandom random)
            throws GeneralSecurityException {
        try {
            return Certificates.sign(builder, issuer, random);
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException("cannot sign with the service CA's key", e);
        }
    }

    /** The password of {@code keystore}, generated once into {@code <keystore>.password}. */
    private static char[] password(Path directory, String keystore, SecureRandom random) throws IOException {
        Path file = directory.resolve(keystore + ".password");
        if (!Files.exists(file)) {
            byte[] bytes = new byte[24];
            random.nextBytes(bytes);
            writeOnce(file, Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
        }
        return Files.readString(file, StandardCharsets.US_ASCII).strip().toCharArray();
    }

    private static void saveOnce(KeyStore keyStore, Path path, char[] password)
            throws IOException, GeneralSecurityException {
        try {
            Pkcs12Files.saveNew(keyStore, path, password);
        } catch (FileAlreadyExistsException e) {
            // Another launcher made it first: theirs is the one, this one is dropped.
        }
    }

    /** Writes {@code content} to {@code path} with mode 600 (atomically), unless the file holds it already. */
    private static void writeIfChanged(Path path, String content) throws IOException {
        if (Files.exists(path) && Files.readString(path, StandardCharsets.US_ASCII).equals(content)) {
            return;
        }
        Path temporary = Files.createTempFile(path.getParent(), path.getFileName().toString(), ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(temporary, content, StandardCharsets.US_ASCII);
            Files.move(temporary, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /** Writes {@code content} to {@code path} with mode 600, unless a file is there already. */
    private static void writeOnce(Path path, String content) throws IOException {
        if (Files.exists(path)) {
            return;
        }
        Path temporary = Files.createTempFile(path.getParent(), path.getFileName().toString(), ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(temporary, content, StandardCharsets.US_ASCII);
            Files.createLink(path, temporary);
        } catch (FileAlreadyExistsException e) {
            // written by a concurrent launcher: the same content from the same keystore
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /**
     * A component's key material.
     *
     * @param component its name (CN, Kafka principal)
     * @param keystore its PKCS#12 file (key and chain under the alias {@code key})
     * @param password the keystore's password
     * @param certificate its certificate
     */
    public record ComponentKeys(String component, Path keystore, String password, X509Certificate certificate) {

        /** {@code <component>.crt}: its certificate and the CA's, PEM. */
        public Path certificateChainFile() {
            return keystore.resolveSibling(component + ".crt");
        }

        /** {@code <component>.key}: its private key, unencrypted PKCS#8 PEM. */
        public Path privateKeyFile() {
            return keystore.resolveSibling(component + ".key");
        }

        @Override
        public String toString() {
            return "ComponentKeys[" + component + ", " + keystore + "]";
        }
    }
}
