package io.simanchor.agent.jose;

import java.util.concurrent.CompletionStage;

/**
 * Signs bytes with the device key, asynchronously (the SIM takes about half a second), returning a DER
 * ECDSA P-256 / SHA-256 signature: {@link io.simanchor.agent.sim.SimSigner#sign} in the agent.
 */
@FunctionalInterface
public interface DerSigner {

    /** The DER signature of {@code message}. */
    CompletionStage<byte[]> sign(byte[] message);
}
