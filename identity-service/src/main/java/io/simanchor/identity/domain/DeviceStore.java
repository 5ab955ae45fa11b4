package io.simanchor.identity.domain;

import java.util.List;
import java.util.Optional;

import io.simanchor.api.events.DeviceState;
import io.simanchor.support.audit.AuditEntry;

/**
 * Enrolled devices. Every change is one transaction together with its lifecycle event (transactional
 * outbox) and its audit entry, so an event is published if and only if the change committed.
 */
public interface DeviceStore {

    /**
     * Stores a newly enrolled device and its certificate, binds the registration to it, records the
     * answered challenge as used and queues the {@code DeviceEnrolledV1} event.
     *
     * @throws ChallengeAlreadyUsedException if the challenge was used before
     * @throws KeyAlreadyBoundException if the key is (or was) bound to any device
     * @throws io.simanchor.support.problem.ProblemException {@link IdentityProblems#ALREADY_ENROLLED} if the
     *         registration was enrolled concurrently
     */
    void enroll(Device device, DeviceCertificate certificate, Challenge answered, Object event, AuditEntry audit);

    /**
     * Moves the device from {@code expected} to the state of {@code changed}; false if it was not in
     * {@code expected} or no longer has the key of {@code changed} (rotated since it was read).
     */
    boolean changeState(Device changed, DeviceState expected, Object event, AuditEntry audit);

    /**
     * Replaces the device's key and certificate; the old key stays bound to the device, retired.
     *
     * @throws KeyAlreadyBoundException if the new key is (or was) bound to any device
     */
    void rotateKey(Device rotated, String previousThumbprint, DeviceCertificate certificate, Object event,
            AuditEntry audit);

    /** The device with this id. */
    Optional<Device> findById(String deviceId);

    /**
     * Answers an enrollment again, for a device whose first answer was lost: in one transaction, records
     * {@code answered} as used and returns the device's current certificate and MUD URL, with {@code audit},
     * if the device is active, has the key {@code keyThumbprint} and its certificate has not expired (at
     * {@code audit}'s time); otherwise records nothing.
     *
     * @throws ChallengeAlreadyUsedException if the challenge was used before
     */
    Optional<Reissued> repeatEnrollment(String deviceId, String keyThumbprint, Challenge answered, AuditEntry audit);

    /** What {@link #repeatEnrollment} hands out again. */
    record Reissued(byte[] certificateDer, String mudUrl) {
    }

    /** The id of the device this key thumbprint is or was bound to. */
    Optional<String> findDeviceByKey(String thumbprint);

    /** A page of devices ordered by id, after {@code afterId} when given. */
    List<Device> list(DeviceQuery query);
}
