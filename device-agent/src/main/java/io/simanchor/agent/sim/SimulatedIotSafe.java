package io.simanchor.agent.sim;

import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.random.RandomGenerator;

/**
 * An IoT SAFE SIM as the study measured it, around another element that does the actual signing (a
 * software key in the fleet simulator): every operation takes the time {@link SimLatencyModel} draws, plus
 * the session set-up when no session is open; operations fail as {@link FaultInjection} says; and, like
 * the SIM's APDU channel, it does one operation at a time, refusing a second one started before the first
 * completed (which {@link SimSigner} never does).
 */
public final class SimulatedIotSafe implements SecureElement {

    /** Whether the element keeps its session between operations. */
    public enum Sessions {
        /** Open once, reuse (what the agent does). */
        KEEP_OPEN,
        /** Open, log in, find the key, sign, close, every time (a naive client; the study's full sequence). */
        PER_OPERATION
    }

    private final SecureElement inner;
    private final SimLatencyModel latency;
    private final FaultInjection faults;
    private final Sessions sessions;
    private final Delays delays;
    private final RandomGenerator random;
    private final AtomicBoolean busy = new AtomicBoolean();
    private volatile boolean sessionOpen;
    private volatile boolean closed;

    /**
     * @param inner the element that signs once the simulated time has passed
     * @param random draws latencies and faults; seed it for a reproducible run
     */
    public SimulatedIotSafe(SecureElement inner, SimLatencyModel latency, FaultInjection faults, Sessions sessions,
            Delays delays, RandomGenerator random) {
        this.inner = inner;
        this.latency = latency;
        this.faults = faults;
        this.sessions = sessions;
        this.delays = delays;
        this.random = random;
    }

    @Override
    public CompletionStage<Signed> sign(byte[] message) {
        if (closed) {
            return CompletableFuture.failedFuture(
                    new SecureElementException(SecureElementException.Reason.CLOSED, "the SIM session is closed"));
        }
        if (!busy.compareAndSet(false, true)) {
            return CompletableFuture.failedFuture(new IllegalStateException(
                    "a second operation started before the first completed; the SIM's channel is serial"));
        }
        boolean opening = !sessionOpen;
        Duration time = latency.signature(random);
        if (opening) {
            time = time.plus(latency.sessionSetup(random));
        }
        Optional<SecureElementException.Reason> fault = faults.draw(random);
        CompletionStage<Signed> operation;
        try {
            operation = delays.after(time).thenCompose(elapsed -> complete(message, opening, fault));
        } catch (RuntimeException e) {
            operation = CompletableFuture.failedFuture(e);
        }
        return operation.whenComplete((s, e) -> {
            if (sessions == Sessions.PER_OPERATION) {
                sessionOpen = false;
            }
            busy.set(false);
        });
    }

    private CompletionStage<Signed> complete(byte[] message, boolean opening,
            Optional<SecureElementException.Reason> fault) {
        // A lost session or a removed SIM must be opened again; a device error leaves the session usable.
        sessionOpen = fault.filter(f -> f == SecureElementException.Reason.SESSION_HANDLE_INVALID
                || f == SecureElementException.Reason.DEVICE_REMOVED).isEmpty();
        if (fault.isEmpty()) {
            return inner.sign(message).thenApply(signed -> new Signed(signed.der(), opening));
        }
        if (fault.get() == SecureElementException.Reason.INVALID_SIGNATURE) {
            // A well-formed signature over something else: only verification can tell.
            byte[] other = Arrays.copyOf(message, message.length + 1);
            return inner.sign(other).thenApply(signed -> new Signed(signed.der(), opening));
        }
        return CompletableFuture.failedFuture(
                new SecureElementException(fault.get(), "CKR_" + fault.get().name() + " (simulated)"));
    }

    /** Key generation in the SIM; its time is not in the study, so it costs one signature's. */
    @Override
    public CompletionStage<NextKey> generateNextKey() {
        return delays.after(latency.signature(random)).thenCompose(elapsed -> inner.generateNextKey());
    }

    @Override
    public ECPublicKey publicKey() {
        return inner.publicKey();
    }

    @Override
    public Optional<List<X509Certificate>> certificateChain() {
        return inner.certificateChain();
    }

    @Override
    public CompletionStage<Void> storeCertificateChain(List<X509Certificate> chain) {
        return inner.storeCertificateChain(chain);
    }

    @Override
    public String kind() {
        return "iot-safe-model";
    }

    @Override
    public void close() {
        closed = true;
        sessionOpen = false;
        inner.close();
    }
}
