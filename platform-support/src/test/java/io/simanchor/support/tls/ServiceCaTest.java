package io.simanchor.support.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.simanchor.support.crypto.Pkcs12Files;

class ServiceCaTest {

    @TempDir
    Path directory;

    @Test
    void a_component_certificate_names_it_for_tls_and_for_kafka_and_chains_to_the_ca() throws Exception {
        ServiceCa ca = ServiceCa.openOrCreate(directory, Clock.systemUTC(), new SecureRandom());

        X509Certificate certificate = ca.keysOf("token-service").certificate();

        certificate.verify(ca.certificate().getPublicKey());
        assertThat(certificate.getSubjectX500Principal().getName()).isEqualTo("CN=token-service,O=SIM Anchor platform")
                .matches("^CN=([a-z0-9-]+),O=SIM Anchor platform$");
        assertThat(certificate.getSubjectAlternativeNames().stream().map(name -> String.valueOf(name.get(1))))
                .containsExactlyInAnyOrder("token-service", "localhost", "127.0.0.1");
        assertThat(certificate.getExtendedKeyUsage()).containsExactlyInAnyOrder("1.3.6.1.5.5.7.3.1",
                "1.3.6.1.5.5.7.3.2");
        assertThat(certificate.getBasicConstraints()).isEqualTo(-1);
        assertThat(ca.certificate().getBasicConstraints()).isZero();
    }

    @Test
    void the_ca_and_the_keys_are_made_once_and_kept_private() throws Exception {
        ServiceCa first = ServiceCa.openOrCreate(directory, Clock.systemUTC(), new SecureRandom());
        X509Certificate issued = first.keysOf("kafka").certificate();

        ServiceCa again = ServiceCa.openOrCreate(directory, Clock.systemUTC(), new SecureRandom());

        assertThat(again.certificate()).isEqualTo(first.certificate());
        assertThat(again.keysOf("kafka").certificate()).isEqualTo(issued);
        for (String file : List.of("service-ca.p12", "service-ca.p12.password", "kafka.p12", "kafka.p12.password",
                "kafka.key")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(directory.resolve(file))))
                    .as(file)
                    .isEqualTo("rw-------");
        }
        assertThat(Files.readString(directory.resolve("kafka.crt"))).contains("BEGIN CERTIFICATE");
    }

    @Test
    void a_certificate_about_to_expire_is_issued_again_for_the_same_key() throws Exception {
        ServiceCa.ComponentKeys old = ServiceCa.openOrCreate(directory, Clock.systemUTC(), new SecureRandom())
                .keysOf("kafka");
        Clock later = Clock.fixed(Instant.now().plus(Duration.ofDays(380)), ZoneOffset.UTC);

        ServiceCa.ComponentKeys renewed = ServiceCa.openOrCreate(directory, later, new SecureRandom()).keysOf("kafka");

        assertThat(renewed.certificate().getNotAfter()).isAfter(old.certificate().getNotAfter());
        assertThat(renewed.certificate().getPublicKey()).isEqualTo(old.certificate().getPublicKey());
        assertThat(Pkcs12Files.load(renewed.keystore(), renewed.password().toCharArray()).getCertificate("key"))
                .isEqualTo(renewed.certificate());
        assertThat(Files.readString(renewed.certificateChainFile()))
                .isEqualTo(io.simanchor.support.crypto.Certificates.pem(renewed.certificate())
                        + io.simanchor.support.crypto.Certificates.pem(
                                ServiceCa.openOrCreate(directory, later, new SecureRandom()).certificate()));
    }

    @Test
    void a_client_only_certificate_cannot_serve_tls() throws Exception {
        ServiceCa ca = ServiceCa.openOrCreate(directory, Clock.systemUTC(), new SecureRandom());

        X509Certificate certificate = ca.keysOf("monitoring", ServiceCa.Usage.CLIENT).certificate();

        assertThat(certificate.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
        assertThat(certificate.getSubjectAlternativeNames()).isNull();
    }

    /** Deleting the CA's keystore rotates the CA: the trusted file and every component move to the new one. */
    @Test
    void a_new_ca_replaces_the_trusted_certificate_and_issues_every_component_again() throws Exception {
        ServiceCa old = ServiceCa.openOrCreate(directory, Clock.systemUTC(), new SecureRandom());
        ServiceCa.ComponentKeys before = old.keysOf("kafka");
        Files.delete(directory.resolve("service-ca.p12"));
        Files.delete(directory.resolve("service-ca.p12.password"));

        ServiceCa rotated = ServiceCa.openOrCreate(directory, Clock.systemUTC(), new SecureRandom());
        ServiceCa.ComponentKeys after = rotated.keysOf("kafka");

        assertThat(rotated.certificate()).isNotEqualTo(old.certificate());
        assertThat(Files.readString(rotated.certificateFile()))
                .isEqualTo(io.simanchor.support.crypto.Certificates.pem(rotated.certificate()));
        after.certificate().verify(rotated.certificate().getPublicKey());
        assertThat(after.certificate().getPublicKey()).isNotEqualTo(before.certificate().getPublicKey());
        assertThat(Files.readString(after.certificateChainFile()))
                .contains(io.simanchor.support.crypto.Certificates.pem(after.certificate()));
    }

    @Test
    void a_component_name_is_a_dns_label() throws Exception {
        ServiceCa ca = ServiceCa.openOrCreate(directory, Clock.systemUTC(), new SecureRandom());

        assertThatThrownBy(() -> ca.keysOf("Token Service,O=evil")).isInstanceOf(IllegalArgumentException.class);
    }
}
