package io.simanchor.agent.sim;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * The discipline around a {@link SecureElement}, as GSMA CLP.13 and the IoT SAFE latency study ask:
 * <ul>
 * <li>one operation at a time, in arrival order (the SIM's APDU channel is serial);</li>
 * <li>a lost session (CKR_SESSION_HANDLE_INVALID) is opened again and the operation retried once; other
 * failures go to the caller, who decides about back-off;</li>
 * <li>every signature is verified with the element's public key before anyone uses it (CLP.13 7.4): a
 * faulty SIM must not put a bad signature on the wire;</li>
 * <li>the same message is never signed twice, so a signature value is never reused (each signed object
 * carries a fresh {@code jti} or nonce; a repeat is a caller bug that would enable a replay);</li>
 * <li>signing time, queue wait, session reuse and errors go to {@link SigningMetrics}.</li>
 * </ul>
 */
public final class SimSigner implements AutoCloseable {

    /** How many recent messages are remembered to refuse a repeat. */
    private static final int REMEMBERED_MESSAGES = 256;

    private final SecureElement element;
    private final Delays delays;
    private final SigningMetrics metrics;
    private final long[] recentDigests = new long[REMEMBERED_MESSAGES];
    private int remembered;
    private int next;
    private CompletableFuture<?> tail = CompletableFuture.completedFuture(null);

    /**
     * @param delays the clock signing time is measured on
     * @param metrics where the figures go (may be shared by many signers)
     */
    public SimSigner(SecureElement element, Delays delays, SigningMetrics metrics) {
        this.element = element;
        this.delays = delays;
        this.metrics = metrics;
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
        if (!rememberFirstUse(message)) {
            metrics.failed(SecureElementException.Reason.REPEATED_MESSAGE);
            return CompletableFuture.failedFuture(new SecureElementException(
                    SecureElementException.Reason.REPEATED_MESSAGE, "refusing to sign the same message twice"));
        }
        return enqueue(() -> attempt(message, true));
    }

    /** A new key beside the current one, for a key rotation; made in turn with the other operations. */
    public CompletionStage<SecureElement.NextKey> generateNextKey() {
        return enqueue(() -> element.generateNextKey().toCompletableFuture());
    }

    /** A verified signature by the rotation's new key (its CSR), in turn; never the same message twice. */
    public CompletionStage<byte[]> signWithNextKey(SecureElement.NextKey key, byte[] message) {
        if (!rememberFirstUse(message)) {
            metrics.failed(SecureElementException.Reason.REPEATED_MESSAGE);
            return CompletableFuture.failedFuture(new SecureElementException(
                    SecureElementException.Reason.REPEATED_MESSAGE, "refusing to sign the same message twice"));
        }
        return enqueue(() -> key.sign(message).toCompletableFuture().thenApply(der -> {
            if (!verifies(key.publicKey(), message, der)) {
                metrics.failed(SecureElementException.Reason.INVALID_SIGNATURE);
                throw new SecureElementException(SecureElementException.Reason.INVALID_SIGNATURE,
                        "the secure element returned a signature that does not verify with the new key");
            }
            return der;
        }));
    }

    /** Makes the rotation's new key the element's key, with its chain, in turn. */
    public CompletionStage<Void> commit(SecureElement.NextKey key,
            List<X509Certificate> chain) {
        return enqueue(() -> key.commit(chain).toCompletableFuture());
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
                result.completeExceptionally(failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause()
                        : failure);
            } else {
                result.complete(value);
            }
        });
        return result;
    }

    private CompletableFuture<byte[]> attempt(byte[] message, boolean retryLostSession) {
        long start = delays.nanoTime();
        CompletableFuture<byte[]> done = new CompletableFuture<>();
        element.sign(message).whenComplete((signed, failure) -> {
            long took = delays.nanoTime() - start;
            if (failure != null) {
                SecureElementException error = asElementError(failure);
                metrics.failed(error.reason());
                if (retryLostSession && error.reason() == SecureElementException.Reason.SESSION_HANDLE_INVALID) {
                    // The element opens a new session on its next operation (PKCS#11 v2.40 §5.6).
                    attempt(message, false).whenComplete((again, stillFailing) -> complete(done, again, stillFailing));
                    return;
                }
                done.completeExceptionally(error);
                return;
            }
            if (!verifies(element.publicKey(), message, signed.der())) {
                metrics.failed(SecureElementException.Reason.INVALID_SIGNATURE);
                done.completeExceptionally(new SecureElementException(SecureElementException.Reason.INVALID_SIGNATURE,
                        "the secure element returned a signature that does not verify with its public key"));
                return;
            }
            metrics.signed(took, signed.sessionOpened());
            done.complete(signed.der());
        });
        return done;
    }

    private static void complete(CompletableFuture<byte[]> done, byte[] value, Throwable failure) {
        if (failure != null) {
            done.completeExceptionally(failure instanceof CompletionException ? failure.getCause() : failure);
        } else {
            done.complete(value);
        }
    }

    private static boolean verifies(PublicKey key, byte[] message, byte[] der) {
        try {
            Signature verifier = Signature.getInstance("SHA256withECDSA");
            verifier.initVerify(key);
            verifier.update(message);
            return verifier.verify(der);
        } catch (GeneralSecurityException e) {
            // A malformed DER signature lands here too.
            return false;
        }
    }

    private static SecureElementException asElementError(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause()
                : failure;
        return cause instanceof SecureElementException error
                ? error
                : new SecureElementException(SecureElementException.Reason.FAILED, String.valueOf(cause.getMessage()),
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
