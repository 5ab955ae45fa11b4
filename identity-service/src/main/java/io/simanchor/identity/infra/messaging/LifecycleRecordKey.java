package io.simanchor.identity.infra.messaging;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.KeyUse;

import io.simanchor.api.events.Topics;
import io.simanchor.identity.config.IdentityConfig;
import io.simanchor.support.crypto.KeystoreLocation;
import io.simanchor.support.crypto.StoredSigningKey;
import io.simanchor.support.messaging.RecordSigner;

/**
 * The key that signs every {@code simanchor.device-lifecycle} record, so the services that authorise devices
 * with those records (attestation-, token-, mud-service) can tell identity-service's records from forged ones
 * (docs/security.md). Used for nothing else; its public half is published as a JWKS.
 */
@ApplicationScoped
public class LifecycleRecordKey {

    static final StoredSigningKey.Purpose PURPOSE = new StoredSigningKey.Purpose("lifecycle-record-signing",
            "SIM Anchor lifecycle record signer", "simanchor.identity.records.keystore-path");

    private final StoredSigningKey key;
    private final RecordSigner signer;

    LifecycleRecordKey(IdentityConfig config, SecureRandom random, Clock clock) {
        KeystoreLocation keystore = KeystoreLocation.of("simanchor.identity.records", config.records().keystorePath(),
                config.records().keystorePassword());
        this.key = StoredSigningKey.loadOrCreate(PURPOSE, keystore.path(), keystore.password(), random, clock);
        this.signer = RecordSigner.of(key.privateKey(), key.keyId(), Set.of(Topics.DEVICE_LIFECYCLE), random);
    }

    /** Signs the lifecycle topic's records, and no other topic's. */
    public RecordSigner signer() {
        return signer;
    }

    /** The key set consumers verify lifecycle records with (RFC 7517 §5). */
    public Map<String, Object> jwks() {
        return Map.of("keys", List.of(new ECKey.Builder(Curve.P_256, key.publicKey().jcaKey()).keyID(key.keyId())
                .keyUse(KeyUse.SIGNATURE)
                .algorithm(JWSAlgorithm.ES256)
                .build()
                .toJSONObject()));
    }
}
