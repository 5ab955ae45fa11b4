package io.simanchor.api.events;

/**
 * Kafka header names of the CloudEvents Kafka protocol binding, binary content mode (CloudEvents 1.0,
 * kafka-protocol-binding §3.2). Every event record MUST carry these headers; the payload is the JSON
 * form of the versioned record named by {@code ce_type}.
 */
public final class CloudEventHeaders {

    public static final String SPEC_VERSION = "ce_specversion";
    public static final String ID = "ce_id";
    public static final String SOURCE = "ce_source";
    public static final String TYPE = "ce_type";
    public static final String TIME = "ce_time";
    public static final String SUBJECT = "ce_subject";
    public static final String CONTENT_TYPE = "content-type";

    /** The CloudEvents version these headers follow. */
    public static final String SPEC_VERSION_1_0 = "1.0";

    private CloudEventHeaders() {
    }
}
