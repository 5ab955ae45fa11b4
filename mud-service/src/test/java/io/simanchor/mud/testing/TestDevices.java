package io.simanchor.mud.testing;

import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.simanchor.api.events.AttestationResultV1;
import io.simanchor.api.events.DeviceSnapshotV1;
import io.simanchor.api.events.DeviceState;
import io.simanchor.api.events.EcPublicJwkV1;
import io.simanchor.support.crypto.EcPublicKey;
import io.simanchor.support.testing.TestVerifierKeys;

/** Devices as identity-service and attestation-service describe them on Kafka. */
public final class TestDevices {

    private TestDevices() {
    }

    /** A fresh P-256 public key. */
    public static EcPublicKey newKey() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return EcPublicKey.of(generator.generateKeyPair().getPublic());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A new device id. */
    public static String newId() {
        return UUID.randomUUID().toString();
    }

    /** The lifecycle snapshot of a device of {@code manufacturer}'s {@code model}. */
    public static DeviceSnapshotV1 snapshot(String deviceId, String manufacturer, String model, EcPublicKey key,
            DeviceState state) {
        EcPublicKey.Jwk jwk = key.toJwk();
        return new DeviceSnapshotV1(deviceId, "default", model, manufacturer,
                new EcPublicJwkV1(jwk.kty(), jwk.crv(), jwk.x(), jwk.y()), key.thumbprint(), "01",
                Instant.now().plusSeconds(86_400), MudFiles.URLS.fileUrl(manufacturer, model), state, true, 1);
    }

    /** An appraisal of {@code device}'s current key with {@code status}, made now. */
    public static AttestationResultV1 appraisal(DeviceSnapshotV1 device, String status) {
        Instant now = Instant.now();
        return new AttestationResultV1(device.deviceId(), device.tenantId(), status, Map.of("hardware", 2),
                "simanchor/default/v1", device.hwModel(), "1.0.0", List.of(), device.keyThumbprint(), now,
                now.plusSeconds(3600), TestVerifierKeys.ear(device.deviceId(), status, device.keyThumbprint(), now,
                        now.plusSeconds(3600)));
    }
}
