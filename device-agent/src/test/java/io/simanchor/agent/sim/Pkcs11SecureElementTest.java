package io.simanchor.agent.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The PKCS#11 adapter on a real SoftHSM2 token. */
class Pkcs11SecureElementTest {

    private static final ScheduledExecutorService SCHEDULER = Executors.newSingleThreadScheduledExecutor();
    private static final Delays REAL_TIME = Delays.on(SCHEDULER);

    @AfterAll
    static void stopScheduler() {
        SCHEDULER.shutdownNow();
    }

    @Test
    void signs_with_the_token_key_and_reuses_the_session_it_opened_at_start() {
        SigningMetrics metrics = new SigningMetrics();
        try (SimSigner signer = new SimSigner(Pkcs11SecureElement.open(SoftHsmToken.config(SoftHsmToken.TOKEN)),
                REAL_TIME, metrics)) {
            for (int i = 0; i < 5; i++) {
                byte[] message = ("message " + i).getBytes(StandardCharsets.UTF_8);
                byte[] der = signer.sign(message).toCompletableFuture().join();

                assertThat(verifies(signer.element().publicKey(), message, der)).isTrue();
            }
        }

        assertThat(metrics.signatures()).isEqualTo(5);
        assertThat(metrics.sessionsOpened()).isZero();
        assertThat(metrics.sessionsReused()).isEqualTo(5);
    }

    @Test
    void the_element_can_be_closed_from_a_continuation_of_its_own_signature() {
        Pkcs11SecureElement element = Pkcs11SecureElement.open(SoftHsmToken.config(SoftHsmToken.TOKEN));

        CompletableFuture<Void> closed = element.sign(bytes("last"))
                .toCompletableFuture()
                .thenAccept(signed -> element.close());

        assertThat(closed).succeedsWithin(Duration.ofSeconds(10));
    }

    @Test
    void the_token_can_be_chosen_by_slot_id() {
        long slot = Pkcs11Slots.byLabel(SoftHsmToken.library(), SoftHsmToken.TOKEN);
        Pkcs11Config bySlot = new Pkcs11Config(SoftHsmToken.library(), OptionalLong.of(slot), Optional.empty(),
                SoftHsmToken.KEY_ALIAS, PinSource.environment("PIN", Map.of("PIN", SoftHsmToken.PIN)));

        try (Pkcs11SecureElement element = Pkcs11SecureElement.open(bySlot);
                Pkcs11SecureElement byLabel = Pkcs11SecureElement.open(SoftHsmToken.config(SoftHsmToken.TOKEN))) {
            assertThat(element.publicKey()).isEqualTo(byLabel.publicKey());
        }
    }

    @Test
    void a_wrong_pin_stops_at_once_and_says_so_without_the_pin() {
        SecureElementException error = catchThrowableOfType(
                () -> Pkcs11SecureElement.open(SoftHsmToken.config(SoftHsmToken.TOKEN, "999999")),
                SecureElementException.class);

        assertThat(error.reason()).isEqualTo(SecureElementException.Reason.PIN_INCORRECT);
        assertThat(error.reason().retryable()).isFalse();
        assertThat(error.getMessage()).contains("refused the PIN")
                .contains("not trying again")
                .doesNotContain("999999");
    }

    @Test
    void a_pin_refused_when_a_lost_session_is_reopened_closes_the_element_without_another_login() {
        java.util.concurrent.atomic.AtomicReference<String> pin = new java.util.concurrent.atomic.AtomicReference<>(
                SoftHsmToken.PIN);
        java.util.concurrent.atomic.AtomicInteger logins = new java.util.concurrent.atomic.AtomicInteger();
        PinSource changing = new PinSource() {

            @Override
            public char[] pin() {
                logins.incrementAndGet();
                return pin.get().toCharArray();
            }

            @Override
            public String describe() {
                return "a PIN that changes";
            }
        };
        Pkcs11Config config = new Pkcs11Config(SoftHsmToken.library(), OptionalLong.empty(),
                Optional.of(SoftHsmToken.TOKEN), SoftHsmToken.KEY_ALIAS, changing);
        try (SimSigner signer = new SimSigner(Pkcs11SecureElement.open(config), REAL_TIME, new SigningMetrics())) {
            // Another element of this process logs out of the token (PKCS#11 logins are per application),
            // so the next signature finds its session logged out and reopens it, now with a wrong PIN.
            pin.set("999999");
            Pkcs11SecureElement.open(SoftHsmToken.config(SoftHsmToken.TOKEN)).close();

            CompletionException first = catchThrowableOfType(
                    () -> signer.sign(bytes("one")).toCompletableFuture().join(), CompletionException.class);
            int loginsAfterRefusal = logins.get();
            CompletionException second = catchThrowableOfType(
                    () -> signer.sign(bytes("two")).toCompletableFuture().join(), CompletionException.class);

            assertThat(((SecureElementException) first.getCause()).reason())
                    .isEqualTo(SecureElementException.Reason.PIN_INCORRECT);
            assertThat(((SecureElementException) second.getCause()).reason())
                    .isEqualTo(SecureElementException.Reason.PIN_INCORRECT);
            assertThat(logins.get()).as("no login after the refusal").isEqualTo(loginsAfterRefusal);
        }
    }

    @Test
    void a_missing_pin_is_reported_before_the_token_is_touched() {
        Pkcs11Config noPin = new Pkcs11Config(SoftHsmToken.library(), OptionalLong.empty(),
                Optional.of(SoftHsmToken.TOKEN), SoftHsmToken.KEY_ALIAS, PinSource.environment("SIM_PIN", Map.of()));

        assertThatThrownBy(() -> Pkcs11SecureElement.open(noPin)).isInstanceOfSatisfying(SecureElementException.class,
                e -> assertThat(e.reason()).isEqualTo(SecureElementException.Reason.PIN_UNAVAILABLE));
    }

    @Test
    void a_missing_library_is_reported() {
        Pkcs11Config missing = new Pkcs11Config(Path.of("/nonexistent/libiotsafe-pkcs11.so"), OptionalLong.empty(),
                Optional.empty(), SoftHsmToken.KEY_ALIAS, PinSource.environment("PIN", Map.of("PIN", "1")));

        SecureElementException error = catchThrowableOfType(() -> Pkcs11SecureElement.open(missing),
                SecureElementException.class);

        assertThat(error.reason()).isEqualTo(SecureElementException.Reason.LIBRARY_UNAVAILABLE);
        assertThat(error.getMessage()).contains("/nonexistent/libiotsafe-pkcs11.so");
    }

    @Test
    void a_file_that_is_no_pkcs11_library_is_reported() {
        Pkcs11Config notALibrary = new Pkcs11Config(Path.of("/etc/hostname"), OptionalLong.of(0), Optional.empty(),
                SoftHsmToken.KEY_ALIAS, PinSource.environment("PIN", Map.of("PIN", "1")));

        assertThatThrownBy(() -> Pkcs11SecureElement.open(notALibrary))
                .isInstanceOfSatisfying(SecureElementException.class,
                        e -> assertThat(e.reason()).isEqualTo(SecureElementException.Reason.LIBRARY_UNAVAILABLE));
    }

    @Test
    void an_unknown_token_label_or_key_alias_is_reported() {
        assertThatThrownBy(() -> Pkcs11SecureElement.open(SoftHsmToken.config("no-such-token")))
                .isInstanceOfSatisfying(SecureElementException.class,
                        e -> assertThat(e.reason()).isEqualTo(SecureElementException.Reason.TOKEN_NOT_FOUND));
        Pkcs11Config wrongAlias = new Pkcs11Config(SoftHsmToken.library(), OptionalLong.empty(),
                Optional.of(SoftHsmToken.TOKEN), "no-such-key",
                PinSource.environment("PIN", Map.of("PIN", SoftHsmToken.PIN)));
        assertThatThrownBy(() -> Pkcs11SecureElement.open(wrongAlias))
                .isInstanceOfSatisfying(SecureElementException.class,
                        e -> assertThat(e.reason()).isEqualTo(SecureElementException.Reason.KEY_NOT_FOUND));
    }

    @Test
    void the_certificate_slot_keeps_the_issued_chain_across_sessions() throws Exception {
        List<X509Certificate> issued;
        try (Pkcs11SecureElement element = Pkcs11SecureElement.open(SoftHsmToken.config(SoftHsmToken.TOKEN))) {
            issued = issuedBy("CN=device-ca", element);
            element.storeCertificateChain(issued).toCompletableFuture().join();
        }

        try (Pkcs11SecureElement reopened = Pkcs11SecureElement.open(SoftHsmToken.config(SoftHsmToken.TOKEN))) {
            assertThat(reopened.certificateChain()).contains(issued);
        }
    }

    @Test
    void a_rotation_replaces_the_key_in_the_token_and_keeps_the_old_one_until_committed() throws Exception {
        SigningMetrics metrics = new SigningMetrics();
        java.security.interfaces.ECPublicKey oldKey;
        java.security.interfaces.ECPublicKey newKey;
        List<X509Certificate> issued;
        try (SimSigner signer = new SimSigner(
                Pkcs11SecureElement.open(SoftHsmToken.config(SoftHsmToken.ROTATION_TOKEN)), REAL_TIME, metrics)) {
            oldKey = signer.element().publicKey();
            SecureElement.NextKey next = signer.generateNextKey().toCompletableFuture().join();
            newKey = next.publicKey();
            byte[] byNewKey = signer.signWithNextKey(next, bytes("csr of the new key")).toCompletableFuture().join();
            byte[] byOldKey = signer.sign(bytes("proof by the old key")).toCompletableFuture().join();

            assertThat(newKey).isNotEqualTo(oldKey);
            assertThat(verifies(newKey, bytes("csr of the new key"), byNewKey)).isTrue();
            assertThat(verifies(oldKey, bytes("proof by the old key"), byOldKey)).isTrue();

            issued = issuedFor("CN=device-ca", newKey);
            signer.commit(next, issued).toCompletableFuture().join();
            byte[] afterwards = signer.sign(bytes("after the rotation")).toCompletableFuture().join();

            assertThat(signer.element().publicKey()).isEqualTo(newKey);
            assertThat(verifies(newKey, bytes("after the rotation"), afterwards)).isTrue();
        }

        try (Pkcs11SecureElement reopened = Pkcs11SecureElement
                .open(SoftHsmToken.config(SoftHsmToken.ROTATION_TOKEN))) {
            assertThat(reopened.publicKey()).isEqualTo(newKey);
            assertThat(reopened.certificateChain()).contains(issued);
        }
    }

    @Test
    void a_chain_for_another_key_is_refused() throws Exception {
        try (Pkcs11SecureElement element = Pkcs11SecureElement.open(SoftHsmToken.config(SoftHsmToken.TOKEN))) {
            List<X509Certificate> foreign = issuedBy("CN=ca",
                    SoftwareSecureElement.generate(new java.security.SecureRandom()));

            assertThatThrownBy(() -> element.storeCertificateChain(foreign))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void a_token_removed_mid_run_fails_the_next_operation_with_a_clear_reason() {
        SigningMetrics metrics = new SigningMetrics();
        try (SimSigner signer = new SimSigner(
                Pkcs11SecureElement.open(SoftHsmToken.config(SoftHsmToken.REMOVABLE_TOKEN)), REAL_TIME, metrics)) {
            signer.sign(bytes("before")).toCompletableFuture().join();

            SoftHsmToken.remove(SoftHsmToken.REMOVABLE_TOKEN);
            CompletionException failure = catchThrowableOfType(
                    () -> signer.sign(bytes("after")).toCompletableFuture().join(), CompletionException.class);

            assertThat(failure.getCause()).isInstanceOfSatisfying(SecureElementException.class,
                    e -> {
                        assertThat(e.reason()).isEqualTo(SecureElementException.Reason.DEVICE_REMOVED);
                        assertThat(e.reason().retryable()).isTrue();
                        assertThat(e.getMessage()).contains("no longer present");
                    });
            assertThat(metrics.errors()).isPositive();
        }
    }

    private static List<X509Certificate> issuedBy(String issuer, SecureElement element) throws Exception {
        return issuedFor(issuer, element.publicKey());
    }

    private static List<X509Certificate> issuedFor(String issuer, java.security.PublicKey subjectKey)
            throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair ca = generator.generateKeyPair();
        Instant now = Instant.now();
        X509Certificate device = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(
                new X500Name(issuer), BigInteger.valueOf(now.toEpochMilli()), Date.from(now),
                Date.from(now.plus(Duration.ofDays(30))), new X500Name("CN=device"), subjectKey)
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(ca.getPrivate())));
        X509Certificate root = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(
                new X500Name(issuer), BigInteger.ONE, Date.from(now), Date.from(now.plus(Duration.ofDays(30))),
                new X500Name(issuer), ca.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(ca.getPrivate())));
        return List.of(device, root);
    }

    private static boolean verifies(java.security.PublicKey key, byte[] message, byte[] der) {
        try {
            Signature verifier = Signature.getInstance("SHA256withECDSA");
            verifier.initVerify(key);
            verifier.update(message);
            return verifier.verify(der);
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
