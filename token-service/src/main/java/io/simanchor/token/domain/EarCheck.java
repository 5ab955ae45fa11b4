package io.simanchor.token.domain;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.simanchor.support.crypto.Sha256;
import io.simanchor.support.ear.SignedEar;

/**
 * Checks the EAR (draft-ietf-rats-ear) a device presents with its token request: signed ES256 by a key
 * the attestation verifier publishes (found by {@code kid}, never taken from the token), the EAR profile,
 * not expired, issued within the accepted age, for this device ({@code sub}) and this device's enrolled
 * key ({@code cnf.jkt}, RFC 7638), and not superseded by a newer appraisal the service has seen.
 *
 * <p>
 * A device presents the same EAR with every token request until it attests again (an hour by default), so
 * an EAR whose signature verified is remembered by the SHA-256 of its exact bytes, with the claims the
 * checks read. Reusing that is safe: the same bytes under the same key verify the same way every time, so
 * a remembered EAR skips only parsing and the signature, and only while the verifier still publishes that
 * key under that {@code kid}; the checks that depend on the time, the device and its latest appraisal run
 * on every request. Issue 4 counts this as "a verified EAR safely reused".
 */
public final class EarCheck {

    private final VerifierKeys verifierKeys;
    private final Duration maxAge;
    private final Duration clockSkew;
    private final Cache<ByteBuffer, SignedEar> verified;

    /**
     * @param maxAge an EAR older than this is refused even if not expired (the token policy's freshness)
     * @param rememberedEars how many verified EARs are remembered (about 500 bytes each); 0 remembers none
     */
    public EarCheck(VerifierKeys verifierKeys, Duration maxAge, Duration clockSkew, long rememberedEars) {
        this.verifierKeys = verifierKeys;
        this.maxAge = maxAge;
        this.clockSkew = clockSkew;
        if (rememberedEars < 0) {
            throw new IllegalArgumentException("simanchor.token.ear.remembered-ears must be 0 or more");
        }
        // An EAR is refused once older than maxAge (plus skew), so nothing remembered longer can be used.
        // Maintenance on the calling thread: no pool hand-off on the request path.
        this.verified = Caffeine.newBuilder()
                .maximumSize(rememberedEars)
                .expireAfterWrite(maxAge.plus(clockSkew))
                .executor(Runnable::run)
                .build();
    }

    /** Checks {@code compact} for {@code device} at {@code now}; throws {@link TokenDenied}. */
    public VerifiedEar check(String compact, DeviceView device, Instant now) {
        String deviceId = device.deviceId();
        SignedEar ear = signed(compact, deviceId);
        if (!ear.expiresAt().isAfter(now)) {
            throw new TokenDenied(DenialReason.EAR_EXPIRED, deviceId, "EAR expired at " + ear.expiresAt());
        }
        if (ear.issuedAt().isAfter(now.plus(clockSkew))) {
            throw new TokenDenied(DenialReason.EAR_NOT_YET_VALID, deviceId, "EAR iat " + ear.issuedAt());
        }
        if (ear.issuedAt().isBefore(now.minus(maxAge))) {
            throw new TokenDenied(DenialReason.EAR_TOO_OLD, deviceId, "EAR issued at " + ear.issuedAt());
        }
        if (!deviceId.equals(ear.subject()) || !device.key().thumbprint().equals(ear.keyThumbprint())) {
            throw new TokenDenied(DenialReason.EAR_OTHER_DEVICE, deviceId, "EAR sub or cnf.jkt mismatch");
        }
        VerifiedEar verified = new VerifiedEar(ear.status(), ear.policyId(), ear.issuedAt(), ear.expiresAt());
        requireNotSuperseded(verified, device);
        return verified;
    }

    /**
     * Refuses {@code ear} if {@code device} was appraised again since, with a worse outcome: the older,
     * better EAR must not outlive that verdict.
     */
    public static void requireNotSuperseded(VerifiedEar ear, DeviceView device) {
        device.latestAppraisal()
                .filter(latest -> latest.appraisedAt().isAfter(ear.issuedAt())
                        && latest.status().tierValue() > ear.status().tierValue())
                .ifPresent(latest -> {
                    throw new TokenDenied(DenialReason.EAR_SUPERSEDED, device.deviceId(),
                            "EAR superseded by a " + latest.status().claimValue() + " appraisal");
                });
    }

    /** The EAR's signed claims: remembered if its key is still published, else verified and remembered. */
    private SignedEar signed(String compact, String deviceId) {
        if (compact == null || compact.length() > SignedEar.MAX_LENGTH) {
            return verify(compact, deviceId);
        }
        ByteBuffer digest = ByteBuffer.wrap(Sha256.of(compact.getBytes(StandardCharsets.UTF_8)));
        SignedEar known = verified.getIfPresent(digest);
        if (known != null && verifierKeys.find(known.keyId()).filter(known.key()::equals).isPresent()) {
            return known;
        }
        SignedEar ear = verify(compact, deviceId);
        verified.put(digest, ear);
        return ear;
    }

    private SignedEar verify(String compact, String deviceId) {
        try {
            return SignedEar.verify(compact, verifierKeys::find);
        } catch (SignedEar.Refused e) {
            throw new TokenDenied(e.flaw() == SignedEar.Flaw.MALFORMED
                    ? DenialReason.EAR_MALFORMED
                    : DenialReason.EAR_SIGNATURE_INVALID, deviceId, e.getMessage());
        }
    }
}
