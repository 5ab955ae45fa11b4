package io.simanchor.api.events;

/**
 * Kafka topic names of the platform. One topic per aggregate; the record key MUST be the device id
 * (docs/events.md).
 */
public final class Topics {

    /** Device lifecycle: compacted, so the latest event of a device MUST carry the device's whole state. */
    public static final String DEVICE_LIFECYCLE = "simanchor.device-lifecycle";

    /** Appraisal outcomes of attestation-service, key = device id. Compacted: the latest one counts. */
    public static final String ATTESTATION_RESULTS = "simanchor.attestation-results";

    /** Effective network policy per device from mud-service's MUD manager, key = device id. Compacted. */
    public static final String MUD_POLICIES = "simanchor.mud-policies";

    /** Decisions of token-service (issued and denied, with reason codes), key = device id. Not compacted. */
    public static final String TOKEN_EVENTS = "simanchor.token-events";

    /** Rejections and attacks, each with a reason code (GSMA CLP.13 6.13). Not compacted. */
    public static final String SECURITY_EVENTS = "simanchor.security-events";

    private Topics() {
    }
}
