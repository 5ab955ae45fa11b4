package io.simanchor.agent.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The development key file: the same key across runs, its chain beside it, a rotation that sticks. */
class SoftwareKeyFileTest {

    @TempDir
    Path directory;

    @Test
    void the_key_is_made_once_readable_by_its_owner_only_and_found_again() throws Exception {
        Path file = directory.resolve("device-key.pem");

        SecureElement first = SoftwareKeyFile.openOrCreate(file, new SecureRandom());
        SecureElement again = SoftwareKeyFile.openOrCreate(file, new SecureRandom());

        assertThat(again.publicKey()).isEqualTo(first.publicKey());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(first.certificateChain()).isEmpty();
    }

    @Test
    void the_certificate_slot_is_kept_beside_the_key() throws Exception {
        Path file = directory.resolve("device-key.pem");
        SecureElement element = SoftwareKeyFile.openOrCreate(file, new SecureRandom());
        List<X509Certificate> chain = List.of(certificateFor(element.publicKey()));

        element.storeCertificateChain(chain).toCompletableFuture().join();

        assertThat(SoftwareKeyFile.openOrCreate(file, new SecureRandom()).certificateChain()).contains(chain);
    }

    @Test
    void a_rotation_replaces_key_and_chain_in_the_files() throws Exception {
        Path file = directory.resolve("device-key.pem");
        SecureElement element = SoftwareKeyFile.openOrCreate(file, new SecureRandom());
        element.storeCertificateChain(List.of(certificateFor(element.publicKey()))).toCompletableFuture().join();

        SecureElement.NextKey next = element.generateNextKey().toCompletableFuture().join();
        List<X509Certificate> rotated = List.of(certificateFor(next.publicKey()));
        next.commit(rotated).toCompletableFuture().join();

        SecureElement reopened = SoftwareKeyFile.openOrCreate(file, new SecureRandom());
        assertThat(reopened.publicKey()).isEqualTo(next.publicKey());
        assertThat(reopened.certificateChain()).contains(rotated);
    }

    @Test
    void a_chain_left_for_another_key_is_ignored_rather_than_fatal() throws Exception {
        Path file = directory.resolve("device-key.pem");
        SecureElement element = SoftwareKeyFile.openOrCreate(file, new SecureRandom());
        element.storeCertificateChain(List.of(certificateFor(element.publicKey()))).toCompletableFuture().join();
        Files.delete(file);

        SecureElement newKey = SoftwareKeyFile.openOrCreate(file, new SecureRandom());

        assertThat(newKey.publicKey()).isNotEqualTo(element.publicKey());
        assertThat(newKey.certificateChain()).isEmpty();
    }

    private static X509Certificate certificateFor(PublicKey subject) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair ca = generator.generateKeyPair();
        Instant now = Instant.now();
        return new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(
                new X500Name("CN=test-ca"), BigInteger.valueOf(now.toEpochMilli()), Date.from(now),
                Date.from(now.plus(Duration.ofDays(1))), new X500Name("CN=device"), subject)
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(ca.getPrivate())));
    }
}
