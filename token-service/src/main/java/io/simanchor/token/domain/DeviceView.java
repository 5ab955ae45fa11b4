package io.simanchor.token.domain;

import java.time.Instant;
import java.util.Optional;

import io.simanchor.api.attestation.ArStatus;
import io.simanchor.api.events.DeviceState;
import io.simanchor.support.crypto.EcPublicKey;

/**
 * What token-service knows about a device, from {@code simanchor.device-lifecycle} and
 * {@code simanchor.attestation-results}.
 *
 * @param key the enrolled SIM key
 * @param latestAppraisal the newest appraisal the service has seen, if any
 */
public record DeviceView(String deviceId, EcPublicKey key, DeviceState state, Optional<Appraisal> latestAppraisal) {

    /** An appraisal as published by attestation-service. */
    public record Appraisal(ArStatus status, Instant appraisedAt) {
    }
}
