package io.simanchor.identity.domain;

import java.time.Clock;
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
import io.simanchor.support.problem.ProblemType;
import io.simanchor.support.ratelimit.RequestRateLimits;

/**
 * Enrollment (DESIGN.md §3.1): a device proves possession of its SIM key over a fresh server challenge
 * and receives its certificate. REST and gRPC endpoints both call this one service. Requests naming an ICCID
 * are rate limited per ICCID before any work (issue 28, point 8).
 */
public final class EnrollmentService {

    private final RegistrationStore registrations;
    private final TenantStore tenants;
    private final Challenges challenges;
    private final ChallengeStore usedChallenges;
    private final DeviceStore devices;
    private final CertificateAuthority ca;
    private final SecurityAlerts alerts;
    private final Clock clock;
    private final MudUrls mudUrls;
    private final RequestRateLimits limits;

    public EnrollmentService(RegistrationStore registrations, TenantStore tenants, Challenges challenges,
            ChallengeStore usedChallenges, DeviceStore devices, CertificateAuthority ca, SecurityAlerts alerts,
            Clock clock, MudUrls mudUrls, RequestRateLimits limits) {
        this.registrations = registrations;
        this.tenants = tenants;
        this.challenges = challenges;
        this.usedChallenges = usedChallenges;
        this.devices = devices;
        this.ca = ca;
        this.alerts = alerts;
        this.clock = clock;
        this.mudUrls = mudUrls;
        this.limits = limits;
    }

    /**
     * Issues a challenge for the registration of {@code iccid}. Nothing is looked up or stored, so the
     * answer is the same for an unknown ICCID and the endpoint cannot be used to find out which ICCIDs
     * exist; the enrollment that follows fails like any invalid challenge.
     */
    public IssuedChallenge createChallenge(Iccid iccid) {
        limits.admit(RequestRateLimits.Scope.ICCID, iccid.value());
        return challenges.issue(Challenge.Purpose.ENROLLMENT, iccid.value());
    }

    /**
     * Verifies the CSR against the challenge and enrolls the device. The challenge is recorded as used in
     * the enrollment's own transaction, and also when the request is refused after the CSR proved to
     * answer it, so it is single-use either way.
     */
    public Enrollment enroll(String challengeId, String csrPem) {
        Challenge challenge = open(challengeId, Challenge.Purpose.ENROLLMENT);
        // Its ICCID is known once the challenge's MAC verified, before the CSR is parsed or anything is written.
        limits.admit(RequestRateLimits.Scope.ICCID, challenge.subject());
        Csr csr = CsrDecoding.decode(csrPem);
        requireAnswered(challenge, csr, null, null);
        // The signature is checked before the registration is looked up, so a bad CSR is refused alike
        // for registered and unknown ICCIDs.
        if (!csr.hasValidSignature()) {
            throw refuseUsing(challenge, IdentityProblems.CSR_SIGNATURE_INVALID, null, null, challengeId,
                    "The CSR signature does not verify");
        }
        Optional<Registration> found = registrations.findByIccid(new Iccid(challenge.subject()));
        if (found.isEmpty()) {
            usedChallenges.consume(challenge);
            throw invalid(challengeId, "unknown-iccid");
        }
        Registration registration = found.get();
        String tenant = registration.tenantId();
        if (registration.isEnrolled()) {
            if (usedChallenges.wasConsumed(challenge)) {
                throw replayed(challenge);
            }
            Optional<Enrollment> again = enrollAgain(registration, challenge, csr);
            if (again.isPresent()) {
                return again.get();
            }
            throw refuseUsing(challenge, IdentityProblems.ALREADY_ENROLLED, tenant, registration.deviceId().get(),
                    csr.publicKey().thumbprint(), "This SIM is already enrolled; rotate the key instead");
        }
        boolean endorsed = registration.simKey().isPresent();
        if (endorsed && !registration.simKey().get().equals(csr.publicKey())) {
            throw refuseUsing(challenge, IdentityProblems.SIM_KEY_MISMATCH, tenant, null,
                    csr.publicKey().thumbprint(), "The key is not the SIM key endorsed for this registration");
        }
        // Asked again at enrollment: a tenant that stopped allowing unendorsed enrollment after registering
        // devices without keys must not have them enrolled by whichever key answers first.
        if (!endorsed && !tenants.allowsUnendorsedEnrollment(tenant)) {
            throw refuseUsing(challenge, IdentityProblems.UNENDORSED_ENROLLMENT_REFUSED, tenant, null,
                    csr.publicKey().thumbprint(), "The tenant enrolls only SIM keys its vendor endorsed");
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
                DeviceState.ACTIVE, now, endorsed, 1);
        try {
            devices.enroll(device, certificate, challenge, new DeviceEnrolledV1(device.snapshot(), now),
                    new AuditEntry(now, "device:" + deviceId, "device.enrolled", tenant, deviceId,
                            Map.of("iccid", registration.iccid().value(), "keyThumbprint", thumbprint,
                                    "certificateSerial", certificate.serialHex(), "endorsed",
                                    Boolean.toString(endorsed))));
        } catch (ChallengeAlreadyUsedException e) {
            throw replayed(challenge);
        } catch (KeyAlreadyBoundException e) {
            throw refuseUsing(challenge, IdentityProblems.KEY_REUSE_DETECTED, tenant, e.boundDeviceId(), thumbprint,
                    "This key is already bound to another device");
        }
        return new Enrollment(deviceId, certificate.chainPem(), mudUrl);
    }

    /**
     * Answers the enrollment of an enrolled registration again when the CSR's key is its active device's
     * current key: the device enrolled (or rotated its key) and the answer never reached it, a lost response
     * on a cellular link, and without its device id it could neither rotate its key nor enroll again. It proved
     * it holds the key over a fresh challenge, which is used up with an audit entry; it gets its device id,
     * current certificate and MUD URL. Empty for any other key, or a suspended or revoked device.
     */
    private Optional<Enrollment> enrollAgain(Registration registration, Challenge challenge, Csr csr) {
        String deviceId = registration.deviceId().get();
        String thumbprint = csr.publicKey().thumbprint();
        Instant now = clock.instant();
        try {
            return devices.repeatEnrollment(deviceId, thumbprint, challenge,
                    new AuditEntry(now, "device:" + deviceId, "device.enrollment-repeated",
                            registration.tenantId(), deviceId,
                            Map.of("iccid", registration.iccid().value(), "keyThumbprint", thumbprint)))
                    .map(again -> new Enrollment(deviceId, ca.chainPem(again.certificateDer()), again.mudUrl()));
        } catch (ChallengeAlreadyUsedException e) {
            throw replayed(challenge);
        }
    }

    /** Reads a challenge id for {@code purpose}; a malformed id or one for the other purpose is invalid. */
    Challenge open(String challengeId, Challenge.Purpose purpose) {
        Challenge challenge = challenges.open(challengeId).orElseThrow(() -> invalid(challengeId, "malformed"));
        if (challenge.purpose() != purpose) {
            throw invalid(challengeId, "wrong-purpose");
        }
        return challenge;
    }

    /**
     * Requires the CSR to carry the challenge's nonce, which authenticates the challenge, and the
     * challenge to be unexpired.
     */
    void requireAnswered(Challenge challenge, Csr csr, String tenant, String deviceId) {
        if (!csr.challengePassword().map(challenge::isAnsweredBy).orElse(false)) {
            throw alerts.refuse(IdentityProblems.CHALLENGE_MISMATCH, tenant, deviceId, challenge.id(),
                    "The CSR must carry the challenge nonce as its challengePassword");
        }
        if (challenges.hasExpired(challenge)) {
            throw new ProblemException(IdentityProblems.CHALLENGE_EXPIRED, "The challenge expired");
        }
    }

    /** Refuses an answer to a genuine challenge and uses the challenge up, so it cannot be tried again. */
    private ProblemException refuseUsing(Challenge challenge, ProblemType problem,
            String tenant, String deviceId, String key, String detail) {
        usedChallenges.consume(challenge);
        return alerts.refuse(problem, tenant, deviceId, key, detail);
    }

    /** A challenge answered a second time. */
    ProblemException replayed(Challenge challenge) {
        return invalid(challenge.id(), "replayed");
    }

    private ProblemException invalid(String challengeId, String why) {
        alerts.raise(IdentityProblems.CHALLENGE_INVALID.code(), null, null, truncated(challengeId),
                Map.of("why", why));
        return new ProblemException(IdentityProblems.CHALLENGE_INVALID, "The challenge is not valid");
    }

    /** A presented id goes into a security event as its key; an attacker's id is cut to a sane length. */
    private static String truncated(String challengeId) {
        return challengeId == null || challengeId.length() <= 128 ? challengeId : challengeId.substring(0, 128);
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
