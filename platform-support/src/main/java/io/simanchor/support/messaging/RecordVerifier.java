package io.simanchor.support.messaging;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import io.simanchor.support.crypto.EcPublicKey;
import io.simanchor.support.crypto.PublishedKeys;
import io.simanchor.support.jose.Es256Jws;
import io.simanchor.support.jose.MalformedJwsException;
import io.simanchor.support.jose.StrictJws;

/**
 * Verifies a record's producer signature ({@link RecordSigner}) against the keys its producer publishes,
 * before the record may change a view. The same rules as every JWS the platform verifies ({@link Es256Jws}:
 * ES256 only, no key taken from the record, no critical extensions), plus the record type in {@code typ}, so
 * a JWS the producer signed for another purpose cannot pass for a record's signature. {@link #verify} runs
 * on any thread (a view checks a poll's records on every core) and may wait for the publisher's key set
 * ({@link PublishedKeys#findOrRefresh}); {@link #prepare} runs on the view's reader thread.
 */
public final class RecordVerifier {

    /** The Kafka header that carries a record's signature: {@code header..signature}, ASCII. */
    public static final String SIGNATURE_HEADER = "simanchor_signature";
    /** The {@code typ} of a record signature's protected header. */
    public static final String SIGNATURE_TYPE = "simanchor-record+jws";
    /** A signature header longer than this is refused before it is decoded. */
    static final int MAX_SIGNATURE_LENGTH = 1024;

    /** What a record's signature is worth; every value but {@link #SIGNED} refuses the record. */
    public enum Verdict {

        /** Signed by a key the producer publishes, over exactly this value. */
        SIGNED,
        /** No signature header, or no value to sign (a tombstone). */
        UNSIGNED,
        /** The header is not a detached ES256 JWS of a record, or names no key. */
        SIGNATURE_MALFORMED,
        /** The header names a key the producer does not publish. */
        SIGNER_UNKNOWN,
        /** The signature does not verify over this value. */
        SIGNATURE_INVALID;

        /** The reason code of the security event that reports the refusal, e.g. {@code RECORD_UNSIGNED}. */
        public String reasonCode() {
            return "RECORD_" + name();
        }
    }

    private final PublishedKeys keys;

    public RecordVerifier(PublishedKeys keys) {
        this.keys = keys;
    }

    /**
     * On the view's reader thread before a poll's records are checked: waits until the producer's key set
     * has been read once (a view started before its producer must not refuse every record), and reads it
     * again when its refresh interval has passed, so a key the producer withdrew stops verifying.
     */
    public void prepare() throws InterruptedException {
        keys.awaitFirstAnswer();
        keys.refreshInBackgroundIfDue();
    }

    /**
     * The verdict on {@code record}'s signature; thread-safe. A key the producer may have published since
     * the last refresh is looked for; {@link PublishedKeys.Unavailable} if the producer does not answer, so
     * the record is read again later rather than refused.
     */
    public Verdict verify(ConsumerRecord<String, String> record) {
        String signature = TopicView.header(record, SIGNATURE_HEADER);
        if (signature == null || record.value() == null) {
            return Verdict.UNSIGNED;
        }
        StrictJws jws;
        try {
            jws = StrictJws.parseDetached(signature, record.value().getBytes(StandardCharsets.UTF_8),
                    MAX_SIGNATURE_LENGTH);
        } catch (MalformedJwsException e) {
            return Verdict.SIGNATURE_MALFORMED;
        }
        if (Es256Jws.headerViolation(jws.header()).isPresent() || jws.header().kid() == null
                || !SIGNATURE_TYPE.equals(jws.header().typ())) {
            return Verdict.SIGNATURE_MALFORMED;
        }
        Optional<EcPublicKey> key = keys.findOrRefresh(jws.header().kid());
        if (key.isEmpty()) {
            return Verdict.SIGNER_UNKNOWN;
        }
        return Es256Jws.verifies(key.get(), jws.signingInput(), jws.signature())
                ? Verdict.SIGNED
                : Verdict.SIGNATURE_INVALID;
    }
}
