package io.simanchor.attestation.domain;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import io.simanchor.api.attestation.EatEvidenceV1;
import io.simanchor.api.attestation.MeasurementV1;
import io.simanchor.api.attestation.Ueid;
import io.simanchor.api.events.AttestationResultV1;
import io.simanchor.api.events.DeviceState;
import io.simanchor.api.events.SecurityEventV1;
import io.simanchor.support.crypto.EcCurve;
import io.simanchor.support.jose.Es256Jws;
import io.simanchor.support.jose.JwsHeader;
import io.simanchor.support.jose.NumericDate;
import io.simanchor.support.problem.CommonProblems;
import io.simanchor.support.problem.ProblemException;
import io.simanchor.support.problem.ProblemType;
import io.simanchor.support.ratelimit.RequestRateLimits;

/**
 * The verifier (RFC 9334 §3): issues nonces, checks evidence and appraises it into a signed EAR. Checks
 * run cheapest first, and nothing is written before the signature is verified, so unauthenticated
 * requests cost one MAC and at most one signature verification.
 */
public final class AttestationService {

    private static final String SERVICE = "attestation-service";

    /**
     * Settings of the verifier.
     *
     * @param maxClockSkew how far a device's {@code iat} may be ahead of the verifier's clock, or before its
     *        nonce was issued
     * @param nonceTtl the nonce lifetime, to tell when a nonce was issued from its expiry
     * @param resultLifetime EAR lifetime
     */
    public record Settings(Duration maxClockSkew, Duration nonceTtl, Duration resultLifetime) {
    }

    private final AttestationNonces nonces;
    private final DeviceViews devices;
    private final AppraisalPolicies policies;
    private final ReferenceValueStore referenceValues;
    private final AppraisalLedger ledger;
    private final ResultSigner signer;
    private final SecurityEvents securityEvents;
    private final Clock clock;
    private final Settings settings;
    private final RequestRateLimits limits;

    public AttestationService(AttestationNonces nonces, DeviceViews devices, AppraisalPolicies policies,
            ReferenceValueStore referenceValues, AppraisalLedger ledger, ResultSigner signer,
            SecurityEvents securityEvents, Clock clock, Settings settings, RequestRateLimits limits) {
        this.nonces = nonces;
        this.devices = devices;
        this.policies = policies;
        this.referenceValues = referenceValues;
        this.ledger = ledger;
        this.signer = signer;
        this.securityEvents = securityEvents;
        this.clock = clock;
        this.settings = settings;
        this.limits = limits;
    }

    /**
     * A nonce for {@code deviceId}. Issued for an unknown device too, so the endpoint does not tell which
     * device ids exist; evidence for an unknown device is refused anyway.
     */
    public AttestationNonces.IssuedNonce challenge(String deviceId) {
        if (deviceId == null || deviceId.isBlank() || deviceId.length() > 64) {
            throw new ProblemException(CommonProblems.MALFORMED_REQUEST, "deviceId must be 1 to 64 characters");
        }
        limits.admit(RequestRateLimits.Scope.DEVICE, deviceId);
        return nonces.issue(deviceId);
    }

    /**
     * Checks and appraises evidence. Everything runs on the calling thread, which may be an event loop,
     * except waiting: for the model's policy or reference values when they are not in memory (the rest then
     * runs where they were read), and for the nonce's use to be durable.
     *
     * @return completes with the verdict (the signed EAR) once the nonce's use is recorded; fails with a
     *         {@link ProblemException}, its security event raised, for evidence that cannot be appraised, or
     *         with the store's exception when the policy, the reference values or the nonce's use could not be
     *         read or recorded
     */
    public CompletionStage<Verdict> appraise(SignedEvidence evidence) {
        AuthenticEvidence authentic;
        try {
            authentic = authenticate(evidence);
        } catch (ProblemException refused) {
            return CompletableFuture.failedFuture(refused);
        }
        return policies.forModel(authentic.device().hwModel()).thenCompose(policy -> appraise(authentic, policy));
    }

    /** Evidence whose signature verified with the key of an active device, over a valid nonce of its own. */
    private record AuthenticEvidence(EatEvidenceV1 claims, DeviceView device, AttestationNonces.NonceCheck nonce) {
    }

    private AuthenticEvidence authenticate(SignedEvidence evidence) {
        checkHeader(evidence.header());
        EatEvidenceV1 claims = evidence.claims();
        require(claims.eatNonce() != null && claims.ueid() != null && claims.iat() != null, null,
                AttestationProblems.CLAIM_MISSING, "eat_nonce, ueid and iat are required");
        String deviceId = Ueid.deviceId(claims.ueid())
                .orElseThrow(() -> refuse(AttestationProblems.UEID_INVALID, null, "The ueid names no device"));
        // Before the view is read, the signature verified or any event raised: a flood naming one device costs
        // a counter (issue 28, point 8).
        limits.admit(RequestRateLimits.Scope.DEVICE, deviceId);
        DeviceView device = devices.find(deviceId)
                .orElseThrow(() -> raise(AttestationProblems.DEVICE_UNKNOWN, null, deviceId, "No such device"));

        AttestationNonces.NonceCheck nonce = nonces.check(claims.eatNonce(), deviceId);
        switch (nonce.outcome()) {
            case VALID :
                break;
            case EXPIRED :
                throw refuse(AttestationProblems.NONCE_EXPIRED, device, "The nonce expired");
            default :
                throw refuse(AttestationProblems.NONCE_INVALID, device, "The nonce is not valid for this device");
        }
        if (device.key().curve() != EcCurve.SECP256R1) {
            throw refuse(AttestationProblems.KEY_NOT_ES256, device, "The enrolled key is not a P-256 key");
        }
        if (!Es256Jws.verifies(device.key(), evidence.signingInput(), evidence.signature())) {
            throw refuse(AttestationProblems.SIGNATURE_INVALID, device,
                    "The signature does not verify with the enrolled key");
        }
        requireActive(device);
        return new AuthenticEvidence(claims, device, nonce);
    }

    private CompletionStage<Verdict> appraise(AuthenticEvidence evidence, AppraisalPolicy policy) {
        EatEvidenceV1 claims = evidence.claims();
        checkClaims(claims, policy, evidence.device());
        checkIssuedAt(claims.iat(), evidence.nonce().expiresAt(), evidence.device());
        // The registered model's reference values, never those of a model the device names: what is looked up
        // is never a model it made up (the Appraiser ignores them for evidence claiming another model).
        CompletionStage<Optional<ReferenceValues>> reference = claims.swversion() != null
                ? referenceValues.find(evidence.device().hwModel(), claims.swversion())
                : CompletableFuture.completedStage(Optional.empty());
        return reference.thenCompose(values -> record(evidence, policy, values));
    }

    private CompletionStage<Verdict> record(AuthenticEvidence evidence, AppraisalPolicy policy,
            Optional<ReferenceValues> reference) {
        DeviceView device = evidence.device();
        requireStillCurrent(device);
        EatEvidenceV1 claims = evidence.claims();
        Appraisal appraisal = Appraiser.appraise(device, claims, reference, policy);
        Instant now = clock.instant();
        AttestationResult result = new AttestationResult(device.deviceId(), device.keyThumbprint(),
                claims.eatNonce(), appraisal, now, now.plus(settings.resultLifetime()));
        // Signed here, on the appraising thread, and handed out only if the ledger then says the nonce was
        // unused: the result's event commits with the nonce, and a replay gets nothing. The ledger's own
        // thread does no more than commit.
        String ear = signer.sign(result);
        return ledger.recordFirstUse(evidence.nonce().id(), evidence.nonce().expiresAt(),
                event(device, claims, result, ear)).thenApply(firstUse -> {
                    if (!firstUse) {
                        throw refuse(AttestationProblems.NONCE_REPLAYED, device, "The nonce was already used");
                    }
                    return new Verdict(result, ear);
                });
    }

    /**
     * The device as the view has it now, before its result is signed: the policy or the reference values
     * may have been read from the database since the evidence was authenticated (seconds, when the database
     * is slow), and a suspension, revocation or key rotation read in the meantime takes effect here.
     */
    private void requireStillCurrent(DeviceView seen) {
        DeviceView current = devices.find(seen.deviceId())
                .orElseThrow(() -> raise(AttestationProblems.DEVICE_UNKNOWN, null, seen.deviceId(), "No such device"));
        if (!current.keyThumbprint().equals(seen.keyThumbprint())) {
            throw refuse(AttestationProblems.SIGNATURE_INVALID, seen,
                    "The key that signed the evidence is no longer the device's");
        }
        requireActive(current);
    }

    private void requireActive(DeviceView device) {
        if (device.state() != DeviceState.ACTIVE) {
            // GSMA CLP.13 8.10: a revoked or suspended key gets nothing, and its use raises an alert.
            throw refuse(AttestationProblems.DEVICE_NOT_ACTIVE, device, "The device is " + device.state());
        }
    }

    /**
     * Raises the security event for evidence the HTTP layer refused before it reached this service (no
     * length, too large, not {@code application/eat+jwt}): every refusal of evidence is one.
     */
    public void refusedBeforeReading(ProblemType type) {
        raiseEvent(type, null, null);
    }

    /** Raises the security event for evidence that cannot even be read, and returns the problem to throw. */
    public ProblemException malformed(String reason) {
        return refuse(AttestationProblems.EVIDENCE_MALFORMED, null, "The evidence is malformed: " + reason);
    }

    private void checkHeader(JwsHeader header) {
        Es256Jws.headerViolation(header).ifPresent(violation -> {
            throw switch (violation) {
                case ALG_NOT_ALLOWED -> refuse(AttestationProblems.ALG_NOT_ALLOWED, null,
                        "alg " + printable(header.alg()) + " is not allowed; use ES256");
                case EMBEDDED_KEY -> refuse(AttestationProblems.EMBEDDED_KEY_REFUSED, null,
                        AttestationProblems.EMBEDDED_KEY_REFUSED.title());
                case CRIT_UNSUPPORTED -> refuse(AttestationProblems.CRIT_UNSUPPORTED, null,
                        AttestationProblems.CRIT_UNSUPPORTED.title());
            };
        });
        String typ = header.typ() == null ? "" : header.typ().toLowerCase(Locale.ROOT);
        // RFC 7515 §4.1.9: "application/" may be omitted from typ; media types compare case-insensitively.
        if (!typ.equals(EatEvidenceV1.JWT_TYPE) && !typ.equals(EatEvidenceV1.MEDIA_TYPE)) {
            throw refuse(AttestationProblems.TYP_INVALID, null, "typ must be eat+jwt");
        }
    }

    private void checkClaims(EatEvidenceV1 claims, AppraisalPolicy policy, DeviceView device) {
        Map<String, Object> present = new HashMap<>();
        present.put("eat_nonce", claims.eatNonce());
        present.put("ueid", claims.ueid());
        present.put("iat", claims.iat());
        present.put("hwmodel", claims.hwmodel());
        present.put("swname", claims.swname());
        present.put("swversion", claims.swversion());
        present.put("measurements", claims.measurements());
        present.put("dbgstat", claims.dbgstat());
        present.put("oemboot", claims.oemboot());
        for (String required : policy.requiredClaims()) {
            require(present.get(required) != null, device, AttestationProblems.CLAIM_MISSING,
                    "The policy requires the claim " + required);
        }
        require(claims.dbgstat() == null || (claims.dbgstat() >= 0 && claims.dbgstat() <= 4), device,
                AttestationProblems.CLAIM_INVALID, "dbgstat is 0 to 4 (RFC 9711 §4.2.9)");
        require(text(claims.hwmodel()) && text(claims.swname()) && text(claims.swversion()), device,
                AttestationProblems.CLAIM_INVALID, "hwmodel, swname and swversion are 1 to 128 characters");
        if (claims.measurements() != null) {
            checkMeasurements(claims.measurements(), device);
        }
    }

    private void checkMeasurements(List<MeasurementV1> measurements, DeviceView device) {
        Measurements.problem(measurements).ifPresent(problem -> {
            throw refuse(AttestationProblems.CLAIM_INVALID, device, problem);
        });
    }

    private void checkIssuedAt(long iat, Instant nonceExpiresAt, DeviceView device) {
        Instant issuedAt = NumericDate.of(iat)
                .orElseThrow(() -> refuse(AttestationProblems.CLAIM_INVALID, device, "iat is not a date"));
        if (issuedAt.isAfter(clock.instant().plus(settings.maxClockSkew()))) {
            throw refuse(AttestationProblems.IAT_IN_FUTURE, device, "iat is in the future");
        }
        Instant nonceIssuedAt = nonceExpiresAt.minus(settings.nonceTtl());
        if (issuedAt.isBefore(nonceIssuedAt.minus(settings.maxClockSkew()))) {
            throw refuse(AttestationProblems.IAT_TOO_OLD, device, "iat is earlier than the nonce");
        }
    }

    private static AttestationResultV1 event(DeviceView device, EatEvidenceV1 claims, AttestationResult result,
            String ear) {
        Appraisal appraisal = result.appraisal();
        return new AttestationResultV1(device.deviceId(), device.tenantId(), appraisal.status().claimValue(),
                appraisal.trustworthinessVector(), appraisal.policyId(), claims.hwmodel(), claims.swversion(),
                appraisal.reasonCodes(), result.keyThumbprint(), result.issuedAt(), result.expiresAt(), ear);
    }

    private void require(boolean condition, DeviceView device, ProblemType type, String detail) {
        if (!condition) {
            throw refuse(type, device, detail);
        }
    }

    /** Raises the security event for {@code type} and returns the problem to throw. */
    private ProblemException refuse(ProblemType type, DeviceView device, String detail) {
        return device == null
                ? raise(type, null, null, detail)
                : raise(type, device.tenantId(), device.deviceId(), detail);
    }

    private ProblemException raise(ProblemType type, String tenantId, String deviceId, String detail) {
        raiseEvent(type, tenantId, deviceId);
        return new ProblemException(type, detail);
    }

    private void raiseEvent(ProblemType type, String tenantId, String deviceId) {
        securityEvents.raise(new SecurityEventV1(type.code(), SERVICE, tenantId, deviceId,
                deviceId != null ? deviceId : "evidence", Map.of(), clock.instant()));
    }

    /** Absent, or a valid name. */
    private static boolean text(String value) {
        return value == null || Text.isValid(value);
    }

    private static String printable(String value) {
        if (value == null) {
            return "(none)";
        }
        String shown = value.length() > 16 ? value.substring(0, 16) + "..." : value;
        return shown.replaceAll("[^A-Za-z0-9+_.-]", "?");
    }

    /**
     * The outcome of an appraisal.
     *
     * @param result what was attested
     * @param ear the signed EAR
     */
    public record Verdict(AttestationResult result, String ear) {
    }
}
