package io.simanchor.support.ear;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import io.simanchor.api.attestation.ArStatus;
import io.simanchor.support.crypto.EcPublicKey;
import io.simanchor.support.jose.Es256Jws;
import io.simanchor.support.jose.MalformedJwsException;
import io.simanchor.support.jose.NumericDate;
import io.simanchor.support.jose.StrictJws;

/**
 * An EAR (draft-ietf-rats-ear) whose signature verified with a key the attestation verifier publishes:
 * the claims a relying party decides with. Built only by {@link #verify}, which token-service runs on the
 * EAR a device presents and every reader of {@code simanchor.attestation-results} on the EAR the record
 * carries, so a verdict is never taken from a field nobody signed.
 *
 * @param keyId the {@code kid} it was verified under
 * @param key the verifier key that verified it
 * @param issuedAt {@code iat}, when the verifier appraised the evidence
 * @param expiresAt {@code exp}
 * @param subject {@code sub} (the device id), or null if it is not a string
 * @param keyThumbprint {@code cnf.jkt} (RFC 7638 thumbprint of the device key), or null if absent
 * @param status {@code ear.status} of the device submodule
 * @param policyId {@code ear.appraisal-policy-id}, or empty
 */
public record SignedEar(String keyId, EcPublicKey key, Instant issuedAt, Instant expiresAt, String subject,
        String keyThumbprint, ArStatus status, String policyId) {

    /** The EAR profile (draft-ietf-rats-ear §3.1). */
    public static final String EAR_PROFILE = "tag:github.com,2023:veraison/ear";
    /** attestation-service's submodule name for the device's appraisal. */
    public static final String SUBMODULE = "device";
    /** EARs longer than this are refused before decoding. */
    public static final int MAX_LENGTH = 8 * 1024;

    /** Why an EAR is refused. */
    public enum Flaw {
        /** Not a JWS, or its claims do not follow the EAR profile. */
        MALFORMED,
        /** A header the platform's JWS rules refuse, or no {@code kid}. */
        HEADER_REFUSED,
        /** Signed under a {@code kid} the verifier does not publish. */
        KEY_UNKNOWN,
        /** The signature does not verify. */
        SIGNATURE_INVALID
    }

    /** An EAR that cannot be relied on, and why. */
    public static final class Refused extends RuntimeException {

        private static final long serialVersionUID = 1L;
        private final Flaw flaw;

        Refused(Flaw flaw, String detail) {
            super(detail, null, false, false);
            this.flaw = flaw;
        }

        public Flaw flaw() {
            return flaw;
        }
    }

    /**
     * Verifies {@code compact} with the verifier key {@code keys} finds for its {@code kid} (never a key the
     * token names itself), then reads the EAR profile's claims; throws {@link Refused}. Checks no time, no
     * subject and no key binding: those depend on the relying party.
     */
    public static SignedEar verify(String compact, Function<String, Optional<EcPublicKey>> keys) {
        StrictJws jws;
        Map<String, Object> claims;
        try {
            jws = StrictJws.parse(compact, MAX_LENGTH);
            claims = jws.payloadObject();
        } catch (MalformedJwsException e) {
            throw new Refused(Flaw.MALFORMED, "EAR: " + e.getMessage());
        }
        String keyId = jws.header().kid();
        if (Es256Jws.headerViolation(jws.header()).isPresent() || keyId == null) {
            throw new Refused(Flaw.HEADER_REFUSED, "EAR header refused");
        }
        Optional<EcPublicKey> key = keys.apply(keyId);
        if (key.isEmpty()) {
            throw new Refused(Flaw.KEY_UNKNOWN, "EAR kid unknown");
        }
        if (!Es256Jws.verifies(key.get(), jws.signingInput(), jws.signature())) {
            throw new Refused(Flaw.SIGNATURE_INVALID, "EAR signature invalid");
        }
        // Signed by the verifier from here on: a malformed claim is the verifier's bug, still refused.
        if (!EAR_PROFILE.equals(claims.get("eat_profile"))) {
            throw new Refused(Flaw.MALFORMED, "EAR eat_profile missing or unknown");
        }
        Map<?, ?> appraisal = submodule(claims);
        return new SignedEar(keyId, key.get(), instant(claims, "iat"), instant(claims, "exp"),
                claims.get("sub") instanceof String subject ? subject : null,
                claims.get("cnf") instanceof Map<?, ?> cnf && cnf.get("jkt") instanceof String jkt ? jkt : null,
                status(appraisal.get("ear.status")),
                appraisal.get("ear.appraisal-policy-id") instanceof String id ? id : "");
    }

    private static Map<?, ?> submodule(Map<String, Object> claims) {
        if (claims.get("submods") instanceof Map<?, ?> submods && submods.get(SUBMODULE) instanceof Map<?, ?> device) {
            return device;
        }
        throw new Refused(Flaw.MALFORMED, "EAR has no device submodule");
    }

    private static ArStatus status(Object value) {
        if (value instanceof String text) {
            for (ArStatus status : ArStatus.values()) {
                if (status != ArStatus.NONE && status.claimValue().equals(text)) {
                    return status;
                }
            }
        }
        throw new Refused(Flaw.MALFORMED, "EAR ear.status missing or unknown");
    }

    private static Instant instant(Map<String, Object> claims, String name) {
        return NumericDate.of(claims.get(name))
                .orElseThrow(() -> new Refused(Flaw.MALFORMED, "EAR " + name + " missing"));
    }
}
