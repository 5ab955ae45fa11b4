package io.simanchor.agent.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.Signature;
import java.time.Duration;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.junit.jupiter.api.Test;

class SimSignerTest {

    private final VirtualTime time = new VirtualTime();
    private final SigningMetrics metrics = new SigningMetrics();

    private SimSigner signer(FaultInjection faults) {
        return new SimSigner(new SimulatedIotSafe(SoftwareSecureElement.generate(new SecureRandom()),
                SimLatencyModel.STUDY, faults, SimulatedIotSafe.Sessions.KEEP_OPEN, time, new Random(11)), time,
                metrics);
    }

    @Test
    void concurrent_requests_are_queued_and_signed_one_after_the_other() throws Exception {
        SimSigner signer = signer(FaultInjection.NONE);

        CompletableFuture<byte[]> first = signer.sign(bytes("one")).toCompletableFuture();
        CompletableFuture<byte[]> second = signer.sign(bytes("two")).toCompletableFuture();
        CompletableFuture<byte[]> third = signer.sign(bytes("three")).toCompletableFuture();
        time.runUntilIdle(Duration.ofSeconds(10));

        assertThat(verifies(signer, "one", first.join())).isTrue();
        assertThat(verifies(signer, "two", second.join())).isTrue();
        assertThat(verifies(signer, "three", third.join())).isTrue();
        // one session set-up (≈ 166 ms) and three signatures (≈ 476 ms each), strictly in sequence
        assertThat(time.millis()).isBetween(1500.0, 1700.0);
        assertThat(metrics.sessionsOpened()).isEqualTo(1);
        assertThat(metrics.sessionsReused()).isEqualTo(2);
        assertThat(metrics.queueWait().maxMillis()).isGreaterThan(900);
    }

    @Test
    void a_signature_that_does_not_verify_is_never_returned() {
        SimSigner signer = signer(new FaultInjection(0, 0, 0, 1));

        CompletableFuture<byte[]> signed = signer.sign(bytes("payload")).toCompletableFuture();
        time.runUntilIdle(Duration.ofSeconds(10));

        assertThat(reasonOf(signed)).isEqualTo(SecureElementException.Reason.INVALID_SIGNATURE);
        assertThat(metrics.errors(SecureElementException.Reason.INVALID_SIGNATURE)).isEqualTo(1);
        assertThat(metrics.signatures()).isZero();
    }

    @Test
    void a_lost_session_is_reopened_and_the_operation_retried_once() {
        SimSigner signer = new SimSigner(new SimulatedIotSafe(SoftwareSecureElement.generate(new SecureRandom()),
                SimLatencyModel.STUDY, new FaultInjection(0, 0.5, 0, 0), SimulatedIotSafe.Sessions.KEEP_OPEN, time,
                seededSoFirstDrawLosesTheSession()), time, metrics);

        CompletableFuture<byte[]> signed = signer.sign(bytes("payload")).toCompletableFuture();
        time.runUntilIdle(Duration.ofSeconds(10));

        assertThat(signed).isCompleted();
        assertThat(verifies(signer, "payload", signed.join())).isTrue();
        assertThat(metrics.errors(SecureElementException.Reason.SESSION_HANDLE_INVALID)).isEqualTo(1);
        assertThat(metrics.sessionsOpened()).isEqualTo(1);
    }

    @Test
    void a_device_error_goes_to_the_caller_without_a_retry() {
        SimSigner signer = signer(new FaultInjection(1, 0, 0, 0));

        CompletableFuture<byte[]> signed = signer.sign(bytes("payload")).toCompletableFuture();
        time.runUntilIdle(Duration.ofSeconds(10));

        assertThat(reasonOf(signed)).isEqualTo(SecureElementException.Reason.DEVICE_ERROR);
        assertThat(metrics.errors()).isEqualTo(1);
        assertThat(metrics.successRate()).isZero();
    }

    @Test
    void the_same_message_is_never_signed_twice() {
        SimSigner signer = signer(FaultInjection.NONE);

        CompletableFuture<byte[]> first = signer.sign(bytes("assertion with jti 1")).toCompletableFuture();
        CompletableFuture<byte[]> again = signer.sign(bytes("assertion with jti 1")).toCompletableFuture();
        time.runUntilIdle(Duration.ofSeconds(10));

        assertThat(first).isCompleted();
        assertThat(reasonOf(again)).isEqualTo(SecureElementException.Reason.REPEATED_MESSAGE);
    }

    @Test
    void a_failed_operation_does_not_block_the_queue() {
        SimSigner signer = signer(new FaultInjection(0, 0, 0, 1));
        CompletableFuture<byte[]> bad = signer.sign(bytes("one")).toCompletableFuture();
        SimSigner healthy = signer(FaultInjection.NONE);

        CompletableFuture<byte[]> next = signer.sign(bytes("two")).toCompletableFuture();
        CompletableFuture<byte[]> other = healthy.sign(bytes("three")).toCompletableFuture();
        time.runUntilIdle(Duration.ofSeconds(10));

        assertThat(bad).isCompletedExceptionally();
        assertThat(next).isDone();
        assertThat(other).isCompleted();
    }

    @Test
    void a_sim_that_never_answers_fails_the_operation_and_frees_the_queue() throws Exception {
        SoftwareSecureElement software = SoftwareSecureElement.generate(new SecureRandom());
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        SecureElement hangsOnce = new SecureElement() {

            @Override
            public java.util.concurrent.CompletionStage<Signed> sign(byte[] message) {
                return calls.getAndIncrement() == 0 ? new CompletableFuture<>() : software.sign(message);
            }

            @Override
            public java.security.interfaces.ECPublicKey publicKey() {
                return software.publicKey();
            }

            @Override
            public Optional<java.util.List<java.security.cert.X509Certificate>> certificateChain() {
                return Optional.empty();
            }

            @Override
            public java.util.concurrent.CompletionStage<Void> storeCertificateChain(
                    java.util.List<java.security.cert.X509Certificate> chain) {
                return software.storeCertificateChain(chain);
            }

            @Override
            public java.util.concurrent.CompletionStage<NextKey> generateNextKey() {
                return software.generateNextKey();
            }

            @Override
            public String kind() {
                return "hangs-once";
            }

            @Override
            public void close() {
            }
        };
        SimSigner signer = new SimSigner(hangsOnce, time, metrics, Duration.ofMillis(200));

        CompletableFuture<byte[]> hung = signer.sign(bytes("one")).toCompletableFuture();
        CompletableFuture<byte[]> next = signer.sign(bytes("two")).toCompletableFuture();

        assertThat(next.get(5, java.util.concurrent.TimeUnit.SECONDS)).isNotEmpty();
        assertThat(reasonOf(hung)).isEqualTo(SecureElementException.Reason.DEVICE_ERROR);
    }

    @Test
    void a_rotation_signs_with_the_new_key_in_turn_and_switches_keys_only_when_committed() throws Exception {
        SoftwareSecureElement software = SoftwareSecureElement.generate(new SecureRandom());
        SimSigner signer = new SimSigner(software, time, metrics);
        java.security.PublicKey oldKey = software.publicKey();

        SecureElement.NextKey next = signer.generateNextKey().toCompletableFuture().join();
        byte[] csrSignature = signer.signWithNextKey(next, bytes("csr")).toCompletableFuture().join();
        byte[] proof = signer.sign(bytes("proof")).toCompletableFuture().join();

        assertThat(verifies(next.publicKey(), "csr", csrSignature)).isTrue();
        assertThat(verifies(oldKey, "proof", proof)).isTrue();
        assertThat(software.publicKey()).isEqualTo(oldKey);
        assertThat(reasonOf(signer.signWithNextKey(next, bytes("csr")).toCompletableFuture()))
                .isEqualTo(SecureElementException.Reason.REPEATED_MESSAGE);
    }

    /** A random whose first fault draw (the second double drawn) is below 0.5, the later ones above. */
    private static Random seededSoFirstDrawLosesTheSession() {
        for (long seed = 0;; seed++) {
            Random probe = new Random(seed);
            SimLatencyModel.STUDY.signature(probe);
            SimLatencyModel.STUDY.sessionSetup(probe);
            boolean firstLoses = probe.nextDouble() < 0.5;
            SimLatencyModel.STUDY.signature(probe);
            SimLatencyModel.STUDY.sessionSetup(probe);
            boolean secondSucceeds = probe.nextDouble() >= 0.5;
            if (firstLoses && secondSucceeds) {
                return new Random(seed);
            }
        }
    }

    private static SecureElementException.Reason reasonOf(CompletableFuture<byte[]> signed) {
        assertThat(signed).isCompletedExceptionally();
        try {
            signed.join();
            throw new AssertionError("not failed");
        } catch (CompletionException e) {
            return ((SecureElementException) e.getCause()).reason();
        }
    }

    private static boolean verifies(SimSigner signer, String message, byte[] der) {
        return verifies(signer.element().publicKey(), message, der);
    }

    private static boolean verifies(java.security.PublicKey key, String message, byte[] der) {
        try {
            Signature verifier = Signature.getInstance("SHA256withECDSA");
            verifier.initVerify(key);
            verifier.update(bytes(message));
            return verifier.verify(der);
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
