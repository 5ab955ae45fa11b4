package io.simanchor.agent.sim;

import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Failures the simulated SIM injects, each as a share of operations, the way a real PKCS#11 library
 * reports them (PKCS#11 v2.40 §11.1).
 *
 * @param deviceError share failing with CKR_DEVICE_ERROR (transient)
 * @param sessionHandleInvalid share failing with CKR_SESSION_HANDLE_INVALID (the session is lost)
 * @param deviceRemoved share failing with CKR_DEVICE_REMOVED (the session is lost)
 * @param invalidSignature share returning a signature that does not verify (a faulty applet; the agent
 *        must catch it, GSMA CLP.13 7.4)
 */
public record FaultInjection(double deviceError, double sessionHandleInvalid, double deviceRemoved,
        double invalidSignature) {

    /** A SIM that never fails. */
    public static final FaultInjection NONE = new FaultInjection(0, 0, 0, 0);

    public FaultInjection {
        double total = deviceError + sessionHandleInvalid + deviceRemoved + invalidSignature;
        if (deviceError < 0 || sessionHandleInvalid < 0 || deviceRemoved < 0 || invalidSignature < 0 || total > 1) {
            throw new IllegalArgumentException("fault shares must be between 0 and 1 in total");
        }
    }

    /** The same share of each PKCS#11 error (not invalid signatures). */
    public static FaultInjection pkcs11Errors(double eachShare) {
        return new FaultInjection(eachShare, eachShare, eachShare, 0);
    }

    /** The fault of one operation, if any; {@link SecureElementException.Reason#INVALID_SIGNATURE} included. */
    Optional<SecureElementException.Reason> draw(RandomGenerator random) {
        double x = random.nextDouble();
        if ((x -= deviceError) < 0) {
            return Optional.of(SecureElementException.Reason.DEVICE_ERROR);
        }
        if ((x -= sessionHandleInvalid) < 0) {
            return Optional.of(SecureElementException.Reason.SESSION_HANDLE_INVALID);
        }
        if ((x -= deviceRemoved) < 0) {
            return Optional.of(SecureElementException.Reason.DEVICE_REMOVED);
        }
        if (x - invalidSignature < 0) {
            return Optional.of(SecureElementException.Reason.INVALID_SIGNATURE);
        }
        return Optional.empty();
    }
}
