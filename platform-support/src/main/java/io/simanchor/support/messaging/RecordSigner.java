package io.simanchor.support.messaging;

import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.util.Set;

import org.apache.kafka.clients.producer.ProducerRecord;

import io.simanchor.support.jose.Es256Signer;

/**
 * Signs the records a service publishes on the topics that authorise a device (docs/security.md): an ES256
 * JWS over the record's value with the payload detached (RFC 7515 Appendix F), in the
 * {@value RecordVerifier#SIGNATURE_HEADER} header, by a key the service publishes. Consumers verify it with
 * {@link RecordVerifier} before a record changes their view, so a record written past the broker's ACLs
 * (a stolen administrator credential, a misconfigured ACL) changes nothing. Thread-safe.
 */
public final class RecordSigner {

    private static final RecordSigner NONE = new RecordSigner(null, Set.of());

    private final Es256Signer signer;
    private final Set<String> topics;

    private RecordSigner(Es256Signer signer, Set<String> topics) {
        this.signer = signer;
        this.topics = Set.copyOf(topics);
    }

    /**
     * @param keyId the {@code kid} under which the service publishes the key's public half
     * @param topics the topics whose records are signed; records of other topics are left as they are
     */
    public static RecordSigner of(PrivateKey key, String keyId, Set<String> topics, SecureRandom random) {
        return new RecordSigner(new Es256Signer(key, RecordVerifier.SIGNATURE_TYPE, keyId, random), topics);
    }

    /** A signer that signs nothing, for a service none of whose topics authorise a device. */
    public static RecordSigner none() {
        return NONE;
    }

    /** Adds the signature header to {@code record} if its topic is signed; returns the record. */
    public ProducerRecord<String, String> sign(ProducerRecord<String, String> record) {
        if (signer != null && record.value() != null && topics.contains(record.topic())) {
            record.headers()
                    .add(RecordVerifier.SIGNATURE_HEADER, signer
                            .signDetached(record.value().getBytes(StandardCharsets.UTF_8))
                            .getBytes(StandardCharsets.US_ASCII));
        }
        return record;
    }
}
