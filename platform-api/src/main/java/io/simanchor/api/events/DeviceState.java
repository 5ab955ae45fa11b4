package io.simanchor.api.events;

/**
 * Lifecycle state of an enrolled device (GSMA CLP.13 6.2, 8.10). Only {@link #ACTIVE} devices may
 * attest or obtain tokens; {@link #REVOKED} is final.
 */
public enum DeviceState {
    /** Enrolled and allowed to use its key. */
    ACTIVE,
    /** Temporarily barred by an operator; may be resumed. */
    SUSPENDED,
    /** Permanently barred: the key gets nothing and any use raises an alert. */
    REVOKED
}
