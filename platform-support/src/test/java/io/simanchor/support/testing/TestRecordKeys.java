package io.simanchor.support.testing;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.ECKey;

import io.simanchor.support.messaging.RecordVerifier;

/**
 * Stands in for identity-service's lifecycle record key in tests of the services that read the lifecycle
 * topic: a P-256 key made per test JVM, whose key set every such service under test is given inline
 * ({@link KafkaTestResource}, {@link PackagedService#environment}), and which signs the records tests
 * publish ({@link DeviceEvents}), as identity-service would. It signs with Nimbus JOSE, not the platform's
 * own signer, so the services' verification is tested against a JWS library nobody here wrote. Only Nimbus
 * and Kafka's client are needed (modules that run packaged services need nothing else of platform-support).
 */
public final class TestRecordKeys {

    /** The configuration property that gives a service identity-service's record keys inline. */
    public static final String PROPERTY = "simanchor.records.lifecycle-keys";

    private static final ECKey KEY = TestEs256Keys.generate();

    private TestRecordKeys() {
    }

    /** The {@code kid} of the key. */
    public static String keyId() {
        return KEY.getKeyID();
    }

    /** The key set, as identity-service publishes it. */
    public static String jwks() {
        return TestEs256Keys.jwks(KEY);
    }

    /** The signature identity-service would give a record with {@code value}: a JWS, payload detached. */
    public static String signature(String value) {
        JWSObject jws = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.ES256)
                .type(new JOSEObjectType(RecordVerifier.SIGNATURE_TYPE))
                .keyID(KEY.getKeyID())
                .build(), new Payload(value.getBytes(StandardCharsets.UTF_8)));
        try {
            jws.sign(new ECDSASigner(KEY));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jws.serialize(true);
    }

    /** {@code record}, signed as identity-service signs it. */
    public static ProducerRecord<String, String> signed(ProducerRecord<String, String> record) {
        addSignature(record.headers(), record.value());
        return record;
    }

    /** {@code record}, signed as identity-service signs it, for views fed by hand. */
    public static ConsumerRecord<String, String> signed(ConsumerRecord<String, String> record) {
        addSignature(record.headers(), record.value());
        return record;
    }

    private static void addSignature(Headers headers, String value) {
        headers.add(RecordVerifier.SIGNATURE_HEADER, signature(value).getBytes(StandardCharsets.US_ASCII));
    }
}
