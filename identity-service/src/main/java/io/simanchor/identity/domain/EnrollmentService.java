package io.simanchor.identity.domain;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.simanchor.api.events.DeviceEnrolledV1;
import io.simanchor.api.events.DeviceState;
import io.simanchor.api.mud.MudUrls;
import io.simanchor.support.audit.AuditEntry;
import io.simanchor.support.crypto.Csr;
import io.simanchor.support.problem.ProblemException;

/**
 * Enrollment (DESIGN.md §3.1): a device proves possession of its SIM key over a fresh server challenge
 * and receives its certificate. REST and gRPC endpoints both call this one service.
 */
public final class EnrollmentService {

    private final RegistrationStore registrations;
    private final ChallengeStore challenges;
    private final DeviceStore devices;
    private final CertificateAuthority ca;
    private final SecurityAlerts alerts;
    private final Nonces nonces;
    private final Clock clock;
    private final Duration challengeTtl;
    private final MudUrls mudUrls;

    public EnrollmentService(RegistrationStore registrations, ChallengeStore challenges, DeviceStore devices,
            CertificateAuthority ca, SecurityAlerts alerts, Nonces nonces, Clock clock, Duration challengeTtl,
            MudUrls mudUrls) {
        this.registrations = registrations;
        this.challenges = challenges;
        this.devices = devices;
        this.ca = ca;
        this.alerts = alerts;
        this.nonces = nonces;
        this.clock = clock;
        this.challengeTtl = challengeTtl;
        this.mudUrls = mudUrls;
    }

    /**
     * Issues a challenge for the registration of {@code iccid}. For an unknown ICCID the answer looks the
     * same but nothing is stored, so the endpoint cannot be used to find out which ICCIDs exist; the
     * enrollment that follows fails like any invalid challenge.
     */
    public IssuedChallenge createChallenge(Iccid iccid) {
        String nonce = nonces.next();
        Instant expiresAt = clock.instant().plus(challengeTtl);
        UUID id = UUID.randomUUID();
        Optional<Registration> registration = registrations.findByIccid(iccid);
        if (registration.isEmpty()) {
            alerts.raise(IdentityProblems.CHALLENGE_INVALID.code(), null, null, "unknown-iccid",
                    Map.of("step", "challenge"));
            return new IssuedChallenge(id, nonce, expiresAt);
        }
        challenges.save(new Challenge(id, Challenge.Purpose.ENROLLMENT, Long.toString(registration.get().id()),
                Nonces.hash(nonce), expiresAt));
        return new IssuedChallenge(id, nonce, expiresAt);
    }

    /**
     * Verifies the CSR against the challenge and enrolls the device. The challenge is consumed first, so
     * it is single-use even when the request fails.
     */
    public Enrollment enroll(UUID challengeId, String csrPem) {
        Challenge challenge = consume(challengeId, Challenge.Purpose.ENROLLMENT);
        Registration registration = registrations.findById(Long.parseLong(challenge.subjectId()))
                .orElseThrow(() -> new ProblemException(IdentityProblems.CHALLENGE_INVALID,
                        "The challenge is not valid"));
        String tenant = registration.tenantId();
        Csr csr = CsrDecoding.decode(csrPem);
        if (!csr.challengePassword().map(answer -> Nonces.matches(challenge.nonceHash(), answer)).orElse(false)) {
            throw alerts.refuse(IdentityProblems.CHALLENGE_MISMATCH, tenant, null, challengeId.toString(),
                    "The CSR must carry the challenge nonce as its challengePassword");
        }
        if (!csr.hasValidSignature()) {
            throw alerts.refuse(IdentityProblems.CSR_SIGNATURE_INVALID, tenant, null, challengeId.toString(),
                    "The CSR signature does not verify");
        }
        if (registration.isEnrolled()) {
            throw alerts.refuse(IdentityProblems.ALREADY_ENROLLED, tenant, registration.deviceId().get(),
                    csr.publicKey().thumbprint(), "This SIM is already enrolled; rotate the key instead");
        }
        if (registration.simKey().isPresent() && !registration.simKey().get().equals(csr.publicKey())) {
            throw alerts.refuse(IdentityProblems.SIM_KEY_MISMATCH, tenant, null, csr.publicKey().thumbprint(),
                    "The key is not the SIM key endorsed for this registration");
        }
        // A key already bound to another device is refused by the store's unique index on the thumbprint,
        // inside the enrollment transaction (KeyAlreadyBoundException below). A pre-query would cost a
        // database round trip on every enrollment and still race with a concurrent one.
        String thumbprint = csr.publicKey().thumbprint();
        String deviceId = UUID.randomUUID().toString();
        String mudUrl = mudUrls.fileUrl(registration.manufacturer(), registration.hwModel());
        DeviceCertificate certificate = ca.issue(tenant, deviceId, csr.publicKey(), mudUrl);
        Instant now = clock.instant();
        Device device = new Device(deviceId, tenant, registration.id(), registration.hwModel(),
                registration.manufacturer(), csr.publicKey(), certificate.serialHex(), certificate.notAfter(), mudUrl,
                DeviceState.ACTIVE, now);
        try {
            devices.enroll(device, certificate, new DeviceEnrolledV1(device.snapshot(), now),
                    new AuditEntry(now, "device:" + deviceId, "device.enrolled", tenant, deviceId,
                            Map.of("iccid", registration.iccid().value(), "keyThumbprint", thumbprint,
                                    "certificateSerial", certificate.serialHex())));
        } catch (KeyAlreadyBoundException e) {
            throw keyReuse(tenant, thumbprint, e.boundDeviceId());
        }
        return new Enrollment(deviceId, certificate.chainPem(), mudUrl);
    }

    private ProblemException keyReuse(String tenant, String thumbprint, String owner) {
        return alerts.refuse(IdentityProblems.KEY_REUSE_DETECTED, tenant, owner, thumbprint,
                "This key is already bound to another device");
    }

    /** Consumes a challenge for {@code purpose}, telling replays, expiry and strangers apart in events only. */
    Challenge consume(UUID challengeId, Challenge.Purpose purpose) {
        Optional<Challenge> consumed = challenges.consume(challengeId);
        if (consumed.isEmpty()) {
            String reason = challenges.wasConsumed(challengeId) ? "replayed" : "unknown";
            alerts.raise(IdentityProblems.CHALLENGE_INVALID.code(), null, null, challengeId.toString(),
                    Map.of("why", reason));
            throw new ProblemException(IdentityProblems.CHALLENGE_INVALID, "The challenge is not valid");
        }
        Challenge challenge = consumed.get();
        if (challenge.purpose() != purpose) {
            alerts.raise(IdentityProblems.CHALLENGE_INVALID.code(), null, null, challengeId.toString(),
                    Map.of("why", "wrong-purpose"));
            throw new ProblemException(IdentityProblems.CHALLENGE_INVALID, "The challenge is not valid");
        }
        if (challenge.isExpiredAt(clock.instant())) {
            throw new ProblemException(IdentityProblems.CHALLENGE_EXPIRED, "The challenge expired");
        }
        return challenge;
    }

    /**
     * The outcome of an enrollment.
     *
     * @param deviceId the new device's id
     * @param certificateChainPem device certificate, issuing CA, root CA
     * @param mudUrl the MUD URL in the certificate
     */
    public record Enrollment(String deviceId, String certificateChainPem, String mudUrl) {
    }
}
