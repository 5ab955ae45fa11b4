package io.simanchor.agent.sim;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

/**
 * A software element kept in a file between runs of the command line (development only): the P-256 key
 * pair as PEM (PKCS#8 and SubjectPublicKeyInfo), readable by its owner only, and the certificate slot as a
 * PEM chain beside it ({@code <file>.chain.pem}).
 */
public final class SoftwareKeyFile {

    private SoftwareKeyFile() {
    }

    /** The element in {@code file}, made with a fresh key when the file does not exist. */
    public static SecureElement openOrCreate(Path file, SecureRandom random) {
        try {
            SoftwareSecureElement element;
            if (Files.exists(file)) {
                element = SoftwareSecureElement.of(read(file));
            } else {
                element = SoftwareSecureElement.generate(random);
                write(file, element);
            }
            Path chainFile = chainFile(file);
            if (Files.exists(chainFile)) {
                try {
                    element.storeCertificateChain(readChain(chainFile));
                } catch (IllegalArgumentException staleChain) {
                    // A rotation interrupted between the key file and the chain file: the chain is for the
                    // old key. The device has no certificate until it enrolls or rotates again.
                }
            }
            return new Persistent(element, file, chainFile);
        } catch (IOException e) {
            throw new SecureElementException(SecureElementException.Reason.KEY_NOT_FOUND,
                    "cannot use key file " + file + ": " + e.getMessage(), e);
        }
    }

    private static Path chainFile(Path file) {
        return file.resolveSibling(file.getFileName() + ".chain.pem");
    }

    /** The private key (PKCS#8) and the public key (SubjectPublicKeyInfo), both PEM, in one file. */
    private static KeyPair read(Path file) throws IOException {
        PrivateKey privateKey = null;
        PublicKey publicKey = null;
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        try (PEMParser parser = new PEMParser(new StringReader(Files.readString(file, StandardCharsets.US_ASCII)))) {
            for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
                if (object instanceof PrivateKeyInfo info) {
                    privateKey = converter.getPrivateKey(info);
                } else if (object instanceof SubjectPublicKeyInfo info) {
                    publicKey = converter.getPublicKey(info);
                }
            }
        }
        if (privateKey == null || publicKey == null) {
            throw new IOException("expected a PKCS#8 private key and its public key in PEM");
        }
        return new KeyPair(publicKey, privateKey);
    }

    /**
     * The key pair as PEM (PKCS#8 private key, then the public key), mode 600, written beside the file and
     * moved over it, so a crash never leaves half a key.
     */
    private static void write(Path file, SoftwareSecureElement element) throws IOException {
        Path directory = file.toAbsolutePath().getParent();
        Files.createDirectories(directory);
        StringWriter pem = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(pem)) {
            writer.writeObject(new JcaPKCS8Generator(element.keyPair().getPrivate(), null));
            writer.writeObject(element.keyPair().getPublic());
        }
        Path next = Files.createTempFile(directory, ".device-key", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(next, pem.toString(), StandardCharsets.US_ASCII);
        Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static List<X509Certificate> readChain(Path file) throws IOException {
        List<X509Certificate> chain = new ArrayList<>();
        try (PEMParser parser = new PEMParser(new StringReader(Files.readString(file, StandardCharsets.US_ASCII)))) {
            for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
                chain.add(new JcaX509CertificateConverter().getCertificate((X509CertificateHolder) object));
            }
        } catch (java.security.cert.CertificateException | ClassCastException e) {
            throw new IOException("not a PEM certificate chain", e);
        }
        return chain;
    }

    /** Stores the certificate slot in the chain file too. */
    private static final class Persistent implements SecureElement {

        private final SoftwareSecureElement element;
        private final Path keyFile;
        private final Path chainFile;

        Persistent(SoftwareSecureElement element, Path keyFile, Path chainFile) {
            this.element = element;
            this.keyFile = keyFile;
            this.chainFile = chainFile;
        }

        @Override
        public CompletionStage<NextKey> generateNextKey() {
            return element.generateNextKey().thenApply(next -> new NextKey() {

                @Override
                public ECPublicKey publicKey() {
                    return next.publicKey();
                }

                @Override
                public CompletionStage<byte[]> sign(byte[] message) {
                    return next.sign(message);
                }

                @Override
                public CompletionStage<Void> commit(List<X509Certificate> chain) {
                    return next.commit(chain).thenRun(() -> {
                        try {
                            write(keyFile, element);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                        writeChain(chain);
                    });
                }
            });
        }

        @Override
        public CompletionStage<Signed> sign(byte[] message) {
            return element.sign(message);
        }

        @Override
        public ECPublicKey publicKey() {
            return element.publicKey();
        }

        @Override
        public Optional<List<X509Certificate>> certificateChain() {
            return element.certificateChain();
        }

        @Override
        public CompletionStage<Void> storeCertificateChain(List<X509Certificate> chain) {
            return element.storeCertificateChain(chain).thenRun(() -> writeChain(chain));
        }

        private void writeChain(List<X509Certificate> chain) {
            StringWriter pem = new StringWriter();
            try (JcaPEMWriter writer = new JcaPEMWriter(pem)) {
                for (X509Certificate certificate : chain) {
                    writer.writeObject(certificate);
                }
                writer.flush();
                Path next = Files.createTempFile(chainFile.toAbsolutePath().getParent(), ".device-chain", ".tmp");
                Files.writeString(next, pem.toString(), StandardCharsets.US_ASCII);
                Files.move(next, chainFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public String kind() {
            return element.kind();
        }

        @Override
        public void close() {
            element.close();
        }
    }
}
