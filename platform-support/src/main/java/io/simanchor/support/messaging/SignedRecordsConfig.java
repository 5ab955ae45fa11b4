package io.simanchor.support.messaging;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.simanchor.api.events.SecurityEventV1;
import io.simanchor.support.crypto.PublishedKeys;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * How a service that reads the records that authorise a device verifies who wrote them (docs/security.md):
 * identity-service's signature on each {@code simanchor.device-lifecycle} record, the verifier's signature on
 * the EAR each {@code simanchor.attestation-results} record carries. For each topic a service reads, one of
 * the two key sources must be set, or the service does not start.
 */
@ConfigMapping(prefix = "simanchor.records")
public interface SignedRecordsConfig {

    /**
     * identity-service's record-signing key set ({@code /.well-known/simanchor/record-keys}), read before
     * the first record and refreshed in the background.
     */
    Optional<String> lifecycleKeysUrl();

    /** identity-service's record-signing keys as an inline JWKS (JSON), instead of or beside the URL. */
    Optional<String> lifecycleKeys();

    /**
     * attestation-service's EAR key set ({@code /.well-known/simanchor/verification}), for services that read
     * {@code simanchor.attestation-results} (token-service uses its {@code simanchor.token.ear.*} instead).
     */
    Optional<String> attestationKeysUrl();

    /** attestation-service's EAR keys as an inline JWKS (JSON), instead of or beside the URL. */
    Optional<String> attestationKeys();

    /** How often a key set is read again. */
    @WithDefault("5m")
    Duration keysRefresh();

    /**
     * The least time between two reads of the key set for a record that names a key not known yet: a key
     * published since the last refresh is found, a flood of made-up key ids costs one read per interval.
     */
    @WithDefault("10s")
    Duration unknownKeyRefresh();

    /** How many refused records a minute are reported one by one; the rest are counted in one event. */
    @WithDefault("100")
    int reportedPerMinute();

    /** The reader of lifecycle records for {@code service}'s view; refusals go to {@code securityEvents}. */
    default DeviceSnapshots lifecycleReader(String service, ObjectMapper json, Consumer<SecurityEventV1> securityEvents,
            Clock clock) {
        PublishedKeys keys = publishedKeys(json, "identity-service record keys", lifecycleKeysUrl(), lifecycleKeys());
        return new DeviceSnapshots(json, new RecordVerifier(keys), rejections(service, securityEvents, clock));
    }

    /** The reader of attestation results for {@code service}'s view; refusals go to {@code securityEvents}. */
    default AttestationResults attestationReader(String service, ObjectMapper json,
            Consumer<SecurityEventV1> securityEvents, Clock clock) {
        return attestationReader(publishedKeys(json, "attestation-service EAR keys", attestationKeysUrl(),
                attestationKeys()), service, json, securityEvents, clock);
    }

    /** The reader of attestation results that verifies EARs with {@code verifierKeys}. */
    default AttestationResults attestationReader(PublishedKeys verifierKeys, String service, ObjectMapper json,
            Consumer<SecurityEventV1> securityEvents, Clock clock) {
        return new AttestationResults(json, verifierKeys, rejections(service, securityEvents, clock));
    }

    /** A key set read with these settings (for the readers above). */
    default PublishedKeys publishedKeys(ObjectMapper json, String what, Optional<String> url,
            Optional<String> inline) {
        return new PublishedKeys(json, what, url.map(URI::create), inline, keysRefresh(), unknownKeyRefresh(),
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build());
    }

    /** The reporting of refused records with these settings (for the readers above). */
    default RejectedRecords rejections(String service, Consumer<SecurityEventV1> securityEvents, Clock clock) {
        return new RejectedRecords(service, securityEvents, reportedPerMinute(), clock);
    }
}
