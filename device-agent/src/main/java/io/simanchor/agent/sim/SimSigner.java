package io.simanchor.agent.sim;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The discipline around a {@link SecureElement}, as GSMA CLP.13 and the IoT SAFE latency study ask:
 * <ul>
 * <li>one operation at a time, in arrival order (the SIM's APDU channel is serial);</li>
 * <li>a lost session (CKR_SESSION_HANDLE_INVALID) is opened again and the operation retried once; other
 * failures go to the caller, who decides about back-off;</li>
 * <li>every signature is verified with the element's public key before anyone uses it (CLP.13 7.4): a
 * faulty SIM must not put a bad signature on the wire;</li>
 * <li>a message among the last 256 signed is refused, so a signature value is not reused (each signed
 * object carries a fresh {@code jti} or nonce; a repeat is a caller bug that would enable a replay);</li>
 * <li>an operation the SIM does not answer within 20 s fails as a device error, so a hung SIM cannot hold
 * the queue;</li>
 * <li>signing time, queue wait, session reuse and errors go to {@link SigningMetrics}.</li>
 * </ul>
 */
public final class SimSigner implements AutoCloseable {

    /** How many recent messages are remembered to refuse a repeat. */
    private static final int REMEMBERED_MESSAGES = 256;
    /** Longest wait for one operation: ten times the study's worst full sequence (1.74 s at P99). */
    static final Duration OPERATION_TIMEOUT = Duration.ofSeconds(20);

    private final SecureElement element;
    private final Delays delays;
    private final SigningMetrics metrics;
    private final Duration operationTimeout;
    private final long[] recentDigests = new long[REMEMBERED_MESSAGES];
    private int remembered;
    private int next;
    private CompletableFuture<?> tail = CompletableFuture.completedFuture(null);

    /**
     * @param delays the clock signing time is measured on
     * @param metrics where the figures go (may be shared by many signers)
     */
    public SimSigner(SecureElement element, Delays delays, SigningMetrics metrics) {
        this(element, delays, metrics, OPERATION_TIMEOUT);
    }

    /** A signer giving up on an operation after {@code operationTimeout} (tests use a short one). */
    SimSigner(SecureElement element, Delays delays, SigningMetrics metrics, Duration operationTimeout) {
        this.element = element;
        this.delays = delays;
        this.metrics = metrics;
        this.operationTimeout = operationTimeout;
    }

    /** The element signed through. */
    public SecureElement element() {
        return element;
    }

    /** The figures of this signer. */
    public SigningMetrics metrics() {
        return metrics;
    }

    /**
     * A verified DER ECDSA P-256 signature over SHA-256 of {@code message}, once every operation queued
     * before it has completed. Fails with {@link SecureElementException}.
     */
    public CompletionStage<byte[]> sign(byte[] message) {
        return refuseRepeat(message).orElseGet(() -> enqueue(() -> attempt(message, true)));
    }

    /** A new key beside the current one, for a key rotation; made in turn with the other operations. */
    public CompletionStage<SecureElement.NextKey> generateNextKey() {
        return enqueue(() -> withTimeout(element.generateNextKey()));
    }

    /** A verified signature by the rotation's new key (its CSR), in turn, under the same rules. */
    public CompletionStage<byte[]> signWithNextKey(SecureElement.NextKey key, byte[] message) {
        return refuseRepeat(message).orElseGet(() -> enqueue(
                () -> withTimeout(key.sign(message)).thenApply(der -> verified(key.publicKey(), message, der))));
    }

    /** Makes the rotation's new key the element's key, with its chain, in turn. */
    public CompletionStage<Void> commit(SecureElement.NextKey key, List<X509Certificate> chain) {
        return enqueue(() -> withTimeout(key.commit(chain)));
    }

    /** A failed operation when {@code message} was signed recently: a caller bug that would enable replay. */
    private Optional<CompletableFuture<byte[]>> refuseRepeat(byte[] message) {
        if (rememberFirstUse(message)) {
            return Optional.empty();
        }
        metrics.failed(SecureElementException.Reason.REPEATED_MESSAGE);
        return Optional.of(CompletableFuture.failedFuture(new SecureElementException(
                SecureElementException.Reason.REPEATED_MESSAGE, "refusing to sign a message signed before")));
    }

    /** Runs {@code operation} once every operation queued before it has completed. */
    private <T> CompletableFuture<T> enqueue(Supplier<CompletableFuture<T>> operation) {
        long queued = delays.nanoTime();
        CompletableFuture<T> result = new CompletableFuture<>();
        CompletableFuture<?> previous;
        synchronized (this) {
            previous = tail;
            tail = result;
        }
        // Chained outside the lock: the element may complete at once, on this thread, and the caller's
        // continuations must not run while this signer is locked.
        previous.handle((ignored, failure) -> null).thenCompose(turn -> {
            metrics.waited(delays.nanoTime() - queued);
            return operation.get();
        }).whenComplete((value, failure) -> {
            if (failure != null) {
                result.completeExceptionally(asElementError(failure));
            } else {
                result.complete(value);
            }
        });
        return result;
    }

    /**
     * One signature; a lost session is opened again by the element on its next operation (PKCS#11 v2.40
     * §5.6), so the signature is tried once more.
     */
    private CompletableFuture<byte[]> attempt(byte[] message, boolean retryLostSession) {
        long start = delays.nanoTime();
        return withTimeout(element.sign(message)).handle((signed, failure) -> {
            if (failure == null) {
                byte[] der = verified(element.publicKey(), message, signed.der());
                metrics.signed(delays.nanoTime() - start, signed.sessionOpened());
                return CompletableFuture.completedFuture(der);
            }
            SecureElementException error = asElementError(failure);
            metrics.failed(error.reason());
            if (retryLostSession && error.reason() == SecureElementException.Reason.SESSION_HANDLE_INVALID) {
                return attempt(message, false);
            }
            return CompletableFuture.<byte[]>failedFuture(error);
        }).thenCompose(next -> next);
    }

    /**
     * The element's operation, failed as a device error when the SIM has not answered in time (20 s by
     * default): a hung SIM must not hold the queue for ever.
     */
    private <T> CompletableFuture<T> withTimeout(CompletionStage<T> operation) {
        return operation.toCompletableFuture().orTimeout(operationTimeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** {@code der}, if it verifies with {@code key} (CLP.13 7.4); otherwise the operation fails. */
    private byte[] verified(PublicKey key, byte[] message, byte[] der) {
        if (!verifies(key, message, der)) {
            metrics.failed(SecureElementException.Reason.INVALID_SIGNATURE);
            throw new SecureElementException(SecureElementException.Reason.INVALID_SIGNATURE,
                    "the secure element returned a signature that does not verify with its public key");
        }
        return der;
    }

    private static boolean verifies(PublicKey key, byte[] message, byte[] der) {
        try {
            Signature verifier = Signature.getInstance("SHA256withECDSA");
            verifier.initVerify(key);
            verifier.update(message);
            return verifier.verify(der);
        } catch (GeneralSecurityException | RuntimeException e) {
            // A malformed DER signature lands here too.
            return false;
        }
    }

    private SecureElementException asElementError(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof SecureElementException error) {
            return error;
        }
        if (cause instanceof TimeoutException) {
            return new SecureElementException(SecureElementException.Reason.DEVICE_ERROR,
                    "the secure element did not answer within " + operationTimeout.toMillis() + " ms", cause);
        }
        return new SecureElementException(SecureElementException.Reason.FAILED, String.valueOf(cause.getMessage()),
                cause);
    }

    /**
     * Remembers the first 64 bits of the message's SHA-256 in a ring (2 KiB a device, so a simulated fleet
     * of 10,000 stays small); false if it is there already. A collision would only refuse a fresh message.
     */
    private synchronized boolean rememberFirstUse(byte[] message) {
        long digest = sha256Prefix(message);
        for (int i = 0; i < remembered; i++) {
            if (recentDigests[i] == digest) {
                return false;
            }
        }
        recentDigests[next] = digest;
        next = (next + 1) % recentDigests.length;
        remembered = Math.min(remembered + 1, recentDigests.length);
        return true;
    }

    private static long sha256Prefix(byte[] message) {
        try {
            return ByteBuffer.wrap(MessageDigest.getInstance("SHA-256").digest(message)).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    @Override
    public void close() {
        element.close();
    }
}
