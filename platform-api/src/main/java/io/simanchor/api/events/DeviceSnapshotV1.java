package io.simanchor.api.events;

import java.time.Instant;

/**
 * The whole state of one device as every lifecycle event carries it. Because the lifecycle topic is
 * compacted, a consumer that only sees a device's latest event MUST be able to build its view from it
 * (event-carried state transfer, DESIGN.md §2).
 *
 * @param deviceId platform-assigned pseudonymous id (GSMA CLP.13 7.8), never the ICCID
 * @param tenantId tenant the device belongs to
 * @param hwModel hardware model, the key of MUD policies and attestation reference values
 * @param manufacturer device manufacturer
 * @param publicKey the device's current SIM key
 * @param keyThumbprint RFC 7638 SHA-256 thumbprint of {@code publicKey}, base64url
 * @param certificateSerial serial number of the current device certificate, lowercase hex
 * @param certificateNotAfter expiry of the current device certificate
 * @param mudUrl MUD URL of the model (RFC 8520)
 * @param state lifecycle state
 * @param endorsed whether the device enrolled with the SIM key its vendor endorsed (the default); false only
 *     where the tenant explicitly allows unendorsed enrollment, so a consumer can tell such devices apart
 * @param revision the device's revision: 1 at enrollment, one more with every change identity-service
 *     publishes. A consumer drops a record with a lower revision than one it has applied: a genuine record
 *     written to the topic again (replayed) must not move the device back in its history. 0 in records
 *     published before the field existed
 */
public record DeviceSnapshotV1(
        String deviceId,
        String tenantId,
        String hwModel,
        String manufacturer,
        EcPublicJwkV1 publicKey,
        String keyThumbprint,
        String certificateSerial,
        Instant certificateNotAfter,
        String mudUrl,
        DeviceState state,
        boolean endorsed,
        long revision) {
}
