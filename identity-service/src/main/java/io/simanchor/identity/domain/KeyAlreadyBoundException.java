package io.simanchor.identity.domain;

/** The store refused a key because it is, or was, bound to a device (keys are never shared, CLP.13 6.1). */
public class KeyAlreadyBoundException extends RuntimeException {

    private final String boundDeviceId;

    public KeyAlreadyBoundException(String boundDeviceId) {
        super("key already bound", null, false, false);
        this.boundDeviceId = boundDeviceId;
    }

    /** The device the key belongs to. */
    public String boundDeviceId() {
        return boundDeviceId;
    }
}
