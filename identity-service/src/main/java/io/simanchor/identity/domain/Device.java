package io.simanchor.identity.domain;

import java.time.Instant;

import io.simanchor.api.events.DeviceSnapshotV1;
import io.simanchor.api.events.DeviceState;
import io.simanchor.api.events.EcPublicJwkV1;
import io.simanchor.support.crypto.EcPublicKey;

/**
 * An enrolled device.
 *
 * @param id platform-assigned random id (GSMA CLP.13 7.8)
 * @param tenantId owning tenant
 * @param registrationId the registration it enrolled against
 * @param hwModel hardware model
 * @param manufacturer manufacturer
 * @param key current SIM key
 * @param certificateSerial serial of the current certificate
 * @param certificateNotAfter expiry of the current certificate
 * @param mudUrl MUD URL of the model
 * @param state lifecycle state
 * @param enrolledAt when it enrolled
 * @param endorsed whether it enrolled with the SIM key its vendor endorsed; a key rotation keeps the flag, since
 *     the new key is authorized by the old one
 * @param revision 1 at enrollment, one more with every change ({@link DeviceSnapshotV1#revision()})
 */
public record Device(
        String id,
        String tenantId,
        long registrationId,
        String hwModel,
        String manufacturer,
        EcPublicKey key,
        String certificateSerial,
        Instant certificateNotAfter,
        String mudUrl,
        DeviceState state,
        Instant enrolledAt,
        boolean endorsed,
        long revision) {

    /** This device with another state. */
    public Device withState(DeviceState newState) {
        return new Device(id, tenantId, registrationId, hwModel, manufacturer, key, certificateSerial,
                certificateNotAfter, mudUrl, newState, enrolledAt, endorsed, revision + 1);
    }

    /** This device with a new key and the certificate for it. */
    public Device withKey(EcPublicKey newKey, DeviceCertificate certificate) {
        return new Device(id, tenantId, registrationId, hwModel, manufacturer, newKey, certificate.serialHex(),
                certificate.notAfter(), mudUrl, state, enrolledAt, endorsed, revision + 1);
    }

    /** The device as lifecycle events carry it. */
    public DeviceSnapshotV1 snapshot() {
        EcPublicKey.Jwk jwk = key.toJwk();
        return new DeviceSnapshotV1(id, tenantId, hwModel, manufacturer,
                new EcPublicJwkV1(jwk.kty(), jwk.crv(), jwk.x(), jwk.y()), key.thumbprint(), certificateSerial,
                certificateNotAfter, mudUrl, state, endorsed, revision);
    }
}
