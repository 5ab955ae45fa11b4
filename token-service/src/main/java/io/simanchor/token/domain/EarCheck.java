package io.simanchor.token.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import io.simanchor.api.attestation.ArStatus;
import io.simanchor.support.crypto.EcPublicKey;
import io.simanchor.support.jose.Es256Jws;
import io.simanchor.support.jose.MalformedJwsException;
import io.simanchor.support.jose.StrictJws;

/**
 * Checks the EAR (draft-ietf-rats-ear) a device presents with its token request: signed ES256 by a key
 * the attestation verifier publishes (found by {@code kid}, never taken from the token), the EAR profile,
 * not expired, issued within the accepted age, for this device ({@code sub}) and this device's enrolled
 * key ({@code cnf.jkt}, RFC 7638), and not superseded by a newer appraisal the service has seen.
 */
public final class EarCheck {

    /** The EAR profile (draft-ietf-rats-ear §3.1). */
    public static final String EAR_PROFILE = "tag:github.com,2023:veraison/ear";
    /** attestation-service's submodule name for the device's appraisal. */
    public static final String SUBMODULE = "device";
    /** EARs longer than this are refused before decoding. */
    public static final int MAX_LENGTH = 8 * 1024;

    private final VerifierKeys verifierKeys;
    private final Duration maxAge;
    private final Duration clockSkew;

    /**
     * @param maxAge an EAR older than this is refused even if not expired (the token policy's freshness)
     */
    public EarCheck(VerifierKeys verifierKeys, Duration maxAge, Duration clockSkew) {
        this.verifierKeys = verifierKeys;
        this.maxAge = maxAge;
        this.clockSkew = clockSkew;
    }

    /** Checks {@code compact} for {@code device} at {@code now}; throws {@link TokenDenied}. */
    public VerifiedEar check(String compact, DeviceView device, Instant now) {
        String deviceId = device.deviceId();
        StrictJws jws;
        Map<String, Object> claims;
        try {
            jws = StrictJws.parse(compact, MAX_LENGTH);
            claims = jws.payloadObject();
        } catch (MalformedJwsException e) {
            throw new TokenDenied(DenialReason.EAR_MALFORMED, deviceId, "EAR: " + e.getMessage());
        }
        if (Es256Jws.headerViolation(jws.header()).isPresent() || jws.header().kid() == null) {
            throw new TokenDenied(DenialReason.EAR_SIGNATURE_INVALID, deviceId, "EAR header refused");
        }
        Optional<EcPublicKey> key = verifierKeys.find(jws.header().kid());
        if (key.isEmpty() || !Es256Jws.verifies(key.get(), jws.signingInput(), jws.signature())) {
            throw new TokenDenied(DenialReason.EAR_SIGNATURE_INVALID, deviceId,
                    key.isEmpty() ? "EAR kid unknown" : "EAR signature invalid");
        }
        // Signed by the verifier from here on: a malformed claim is the verifier's bug, still refused.
        if (!EAR_PROFILE.equals(claims.get("eat_profile"))) {
            throw new TokenDenied(DenialReason.EAR_MALFORMED, deviceId, "EAR eat_profile missing or unknown");
        }
        Instant issuedAt = instant(claims, "iat", deviceId);
        Instant expiresAt = instant(claims, "exp", deviceId);
        if (!expiresAt.isAfter(now)) {
            throw new TokenDenied(DenialReason.EAR_EXPIRED, deviceId, "EAR expired at " + expiresAt);
        }
        if (issuedAt.isAfter(now.plus(clockSkew))) {
            throw new TokenDenied(DenialReason.EAR_NOT_YET_VALID, deviceId, "EAR iat " + issuedAt);
        }
        if (issuedAt.isBefore(now.minus(maxAge))) {
            throw new TokenDenied(DenialReason.EAR_TOO_OLD, deviceId, "EAR issued at " + issuedAt);
        }
        if (!deviceId.equals(claims.get("sub"))
                || !(claims.get("cnf") instanceof Map<?, ?> cnf)
                || !device.key().thumbprint().equals(cnf.get("jkt"))) {
            throw new TokenDenied(DenialReason.EAR_OTHER_DEVICE, deviceId, "EAR sub or cnf.jkt mismatch");
        }
        Map<?, ?> appraisal = submodule(claims, deviceId);
        ArStatus status = status(appraisal.get("ear.status"), deviceId);
        String policyId = appraisal.get("ear.appraisal-policy-id") instanceof String id ? id : "";
        device.latestAppraisal()
                .filter(latest -> latest.appraisedAt().isAfter(issuedAt)
                        && latest.status().tierValue() > status.tierValue())
                .ifPresent(latest -> {
                    // The device was appraised again since, with a worse outcome: the older, better EAR
                    // must not outlive that verdict.
                    throw new TokenDenied(DenialReason.EAR_SUPERSEDED, deviceId,
                            "EAR superseded by a " + latest.status().claimValue() + " appraisal");
                });
        return new VerifiedEar(status, policyId, issuedAt, expiresAt);
    }

    private static Map<?, ?> submodule(Map<String, Object> claims, String deviceId) {
        if (claims.get("submods") instanceof Map<?, ?> submods && submods.get(SUBMODULE) instanceof Map<?, ?> device) {
            return device;
        }
        throw new TokenDenied(DenialReason.EAR_MALFORMED, deviceId, "EAR has no device submodule");
    }

    private static ArStatus status(Object value, String deviceId) {
        if (value instanceof String text) {
            for (ArStatus status : ArStatus.values()) {
                if (status != ArStatus.NONE && status.claimValue().equals(text)) {
                    return status;
                }
            }
        }
        throw new TokenDenied(DenialReason.EAR_MALFORMED, deviceId, "EAR ear.status missing or unknown");
    }

    private static Instant instant(Map<String, Object> claims, String name, String deviceId) {
        Object value = claims.get(name);
        if (value instanceof Integer || value instanceof Long) {
            return Instant.ofEpochSecond(((Number) value).longValue());
        }
        throw new TokenDenied(DenialReason.EAR_MALFORMED, deviceId, "EAR " + name + " missing");
    }
}
