package io.simanchor.identity.domain;

import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;

import io.simanchor.api.enrollment.KeyRotationProof;
import io.simanchor.api.events.DeviceKeyRotatedV1;
import io.simanchor.api.events.DeviceState;
import io.simanchor.support.audit.AuditEntry;
import io.simanchor.support.crypto.Csr;
import io.simanchor.support.crypto.EcdsaVerifier;
import io.simanchor.support.problem.ProblemException;
import io.simanchor.support.ratelimit.RequestRateLimits;

/**
 * Key rotation by the device itself: a CSR for the new key over a fresh challenge (proof of possession
 * of the new key) plus a signature by the current key over the challenge and the CSR (proof that the
 * holder of the enrolled key asks for it). The old key is retired and stays bound to the device, so it
 * can never be enrolled again.
 */
public final class KeyRotationService {

    private final DeviceStore devices;
    private final Challenges challenges;
    private final ChallengeStore usedChallenges;
    private final CertificateAuthority ca;
    private final SecurityAlerts alerts;
    private final Clock clock;
    private final EnrollmentService enrollment;

    private final RequestRateLimits limits;

    public KeyRotationService(DeviceStore devices, Challenges challenges, ChallengeStore usedChallenges,
            CertificateAuthority ca, SecurityAlerts alerts, Clock clock, EnrollmentService enrollment,
            RequestRateLimits limits) {
        this.limits = limits;
        this.devices = devices;
        this.challenges = challenges;
        this.usedChallenges = usedChallenges;
        this.ca = ca;
        this.alerts = alerts;
        this.clock = clock;
        this.enrollment = enrollment;
    }

    /** A challenge for rotating the key of an active device. */
    public IssuedChallenge createChallenge(String deviceId) {
        limits.admit(RequestRateLimits.Scope.DEVICE, deviceId);
        return challenges.issue(Challenge.Purpose.KEY_ROTATION, activeDevice(deviceId).id());
    }

    /**
     * Rotates the key.
     *
     * @param proof base64 DER ECDSA signature by the current key over {@link #proofMessage}
     */
    public EnrollmentService.Enrollment rotate(String deviceId, String challengeId, String csrPem, String proof) {
        limits.admit(RequestRateLimits.Scope.DEVICE, deviceId);
        Challenge challenge = enrollment.open(challengeId, Challenge.Purpose.KEY_ROTATION);
        Device device = activeDevice(deviceId);
        Csr csr = CsrDecoding.decode(csrPem);
        enrollment.requireAnswered(challenge, csr, device.tenantId(), device.id());
        // Compared once the answer proved the challenge genuine, so a forged id cannot raise events
        // in another device's name.
        if (!challenge.subject().equals(device.id())) {
            throw alerts.refuse(IdentityProblems.CHALLENGE_INVALID, device.tenantId(), device.id(), challengeId,
                    "The challenge is not valid");
        }
        // Rotations are rare: the challenge is used up before anything else is checked, in a commit of
        // its own, so a failed attempt cannot be retried with the same challenge.
        if (!usedChallenges.consume(challenge)) {
            throw enrollment.replayed(challenge);
        }
        String nonce = challenge.expectedNonce();
        if (!csr.hasValidSignature()) {
            throw alerts.refuse(IdentityProblems.CSR_SIGNATURE_INVALID, device.tenantId(), device.id(),
                    challengeId, "The CSR signature does not verify");
        }
        byte[] proofSignature = decodeBase64(proof);
        if (!EcdsaVerifier.verifyDer(device.key(), proofMessage(nonce, csr.der()), proofSignature)) {
            throw alerts.refuse(IdentityProblems.ROTATION_PROOF_INVALID, device.tenantId(), device.id(),
                    challengeId, "The proof is not signed by the device's current key");
        }
        String newThumbprint = csr.publicKey().thumbprint();
        devices.findDeviceByKey(newThumbprint).ifPresent(owner -> {
            throw alerts.refuse(IdentityProblems.KEY_REUSE_DETECTED, device.tenantId(), owner, newThumbprint,
                    "This key is already bound to a device");
        });
        DeviceCertificate certificate = ca.issue(device.tenantId(), device.id(), csr.publicKey(), device.mudUrl());
        Device rotated = device.withKey(csr.publicKey(), certificate);
        Instant now = clock.instant();
        String previous = device.key().thumbprint();
        try {
            devices.rotateKey(rotated, previous, certificate, new DeviceKeyRotatedV1(rotated.snapshot(), previous, now),
                    new AuditEntry(now, "device:" + device.id(), "device.key-rotated", device.tenantId(), device.id(),
                            Map.of("previousKeyThumbprint", previous, "keyThumbprint", newThumbprint,
                                    "certificateSerial", certificate.serialHex())));
        } catch (KeyAlreadyBoundException e) {
            throw alerts.refuse(IdentityProblems.KEY_REUSE_DETECTED, device.tenantId(), e.boundDeviceId(),
                    newThumbprint, "This key is already bound to a device");
        }
        return new EnrollmentService.Enrollment(device.id(), certificate.chainPem(), device.mudUrl());
    }

    /** The bytes the current key signs (the contract is {@link KeyRotationProof}). */
    public static byte[] proofMessage(String nonce, byte[] csrDer) {
        return KeyRotationProof.message(nonce, csrDer);
    }

    private Device activeDevice(String deviceId) {
        Device device = devices.findById(deviceId)
                .orElseThrow(() -> new ProblemException(IdentityProblems.DEVICE_NOT_FOUND, "No such device"));
        if (device.state() != DeviceState.ACTIVE) {
            throw alerts.refuse(IdentityProblems.DEVICE_NOT_ACTIVE, device.tenantId(), device.id(), device.id(),
                    "The device is " + device.state().name().toLowerCase(Locale.ROOT));
        }
        return device;
    }

    private static byte[] decodeBase64(String value) {
        try {
            return Base64.getDecoder().decode(value == null ? "" : value);
        } catch (IllegalArgumentException e) {
            throw new ProblemException(IdentityProblems.ROTATION_PROOF_INVALID, "The proof is not base64");
        }
    }
}
