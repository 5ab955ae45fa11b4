package io.simanchor.support.testing;

import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import io.simanchor.api.events.SecurityEventV1;
import io.simanchor.support.crypto.EcPublicKey;
import io.simanchor.support.crypto.PublishedKeys;
import io.simanchor.support.messaging.AttestationResults;
import io.simanchor.support.messaging.DeviceSnapshots;
import io.simanchor.support.messaging.RecordVerifier;
import io.simanchor.support.messaging.RejectedRecords;

/**
 * Readers of the records that authorise a device, for views fed by hand in unit tests: they trust the test
 * stand-ins for identity-service's record key ({@link TestRecordKeys}) and attestation-service's EAR key
 * ({@link TestVerifierKeys}), as a service configured with their key sets does.
 */
public final class TestRecordReaders {

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule());

    private TestRecordReaders() {
    }

    /** A reader of lifecycle records; refused records are reported to {@code securityEvents}. */
    public static DeviceSnapshots lifecycle(String service, Consumer<SecurityEventV1> securityEvents) {
        return new DeviceSnapshots(JSON, new RecordVerifier(keys(TestRecordKeys.jwks())),
                rejections(service, securityEvents));
    }

    /** A verifier of lifecycle record signatures that trusts {@link TestRecordKeys}. */
    public static RecordVerifier lifecycleVerifier() {
        return new RecordVerifier(keys(TestRecordKeys.jwks()));
    }

    /** The public key of {@link TestRecordKeys}, as a reader holds it. */
    public static EcPublicKey lifecycleKey() {
        PublishedKeys keys = keys(TestRecordKeys.jwks());
        return keys.find(TestRecordKeys.keyId()).orElseThrow();
    }

    /** A reader of attestation results; refused records are reported to {@code securityEvents}. */
    public static AttestationResults attestationResults(String service, Consumer<SecurityEventV1> securityEvents) {
        return new AttestationResults(JSON, keys(TestVerifierKeys.jwks()), rejections(service, securityEvents));
    }

    private static PublishedKeys keys(String jwks) {
        return new PublishedKeys(JSON, "test keys", Optional.empty(), Optional.of(jwks), Duration.ofMinutes(5),
                Duration.ofSeconds(10), HttpClient.newHttpClient());
    }

    private static RejectedRecords rejections(String service, Consumer<SecurityEventV1> securityEvents) {
        return new RejectedRecords(service, securityEvents, 100, Clock.systemUTC());
    }
}
