package io.simanchor.attestation.domain;

/**
 * What an appraisal can find out about one piece of evidence. The appraisal policy maps each finding to
 * AR4SI trustworthiness claims (draft-ietf-rats-ar4si §2.3.4), so that how much a finding matters is
 * data, not code. The name of every finding that lowers a claim below affirming is a reason code.
 */
public enum Finding {
    /** Signed by the enrolled key of an active device (always found; otherwise there is no appraisal). */
    IDENTITY_VERIFIED,
    /** {@code hwmodel} is the model the device was registered with. */
    HWMODEL_MATCHES,
    /** {@code hwmodel} is not the registered model: the evidence describes other hardware. */
    HWMODEL_MISMATCH,
    /** Every measured component has the reference digest, and no component is missing or extra. */
    MEASUREMENTS_MATCH,
    /** A measured component's digest differs from its reference value. */
    MEASUREMENT_MISMATCH,
    /** Components are missing or unknown to the reference values, but no digest differs. */
    UNRECOGNIZED_COMPONENTS,
    /**
     * No reference values exist for the registered model and the reported {@code swversion}, or the evidence
     * claims another model (its measurements are never compared with another model's reference values).
     */
    REFERENCE_VALUES_UNKNOWN,
    /** The evidence has no measurements (only possible when the policy does not require them). */
    MEASUREMENTS_ABSENT,
    /** {@code dbgstat} is one the policy accepts. */
    DEBUG_STATUS_ACCEPTED,
    /** {@code dbgstat} is one the policy does not accept, e.g. 0 (debug enabled). */
    DEBUG_STATUS_NOT_ACCEPTED,
    /** No {@code dbgstat} claim (only possible when the policy does not require it). */
    DEBUG_STATUS_ABSENT,
    /** {@code oemboot} is true. */
    OEM_BOOT_VERIFIED,
    /** {@code oemboot} is false: software not authorised by the OEM was booted. */
    OEM_BOOT_NOT_VERIFIED,
    /** No {@code oemboot} claim (only possible when the policy does not require it). */
    OEM_BOOT_ABSENT
}
