package io.simanchor.attestation.domain;

import io.simanchor.support.problem.ProblemType;

/**
 * Every way attestation-service refuses a request. Each code is also the reason code of the security
 * event the refusal raises; docs/problems.md lists them all.
 */
public final class AttestationProblems {

    public static final ProblemType EVIDENCE_MALFORMED = new ProblemType("EVIDENCE_MALFORMED", 400,
            "The evidence is not a well-formed EAT in compact JWS form");
    public static final ProblemType ALG_NOT_ALLOWED = new ProblemType("ALG_NOT_ALLOWED", 400,
            "Evidence must be signed with ES256");
    public static final ProblemType TYP_INVALID = new ProblemType("TYP_INVALID", 400,
            "The JWS header must have typ eat+jwt");
    public static final ProblemType EMBEDDED_KEY_REFUSED = new ProblemType("EMBEDDED_KEY_REFUSED", 400,
            "The header names or carries a key; evidence is verified with the enrolled key only");
    public static final ProblemType CRIT_UNSUPPORTED = new ProblemType("CRIT_UNSUPPORTED", 400,
            "The header marks extensions as critical; the verifier understands none");
    public static final ProblemType CLAIM_MISSING = new ProblemType("CLAIM_MISSING", 400,
            "A claim the appraisal policy requires is missing");
    public static final ProblemType CLAIM_INVALID = new ProblemType("CLAIM_INVALID", 400,
            "A claim has a value outside its definition");
    public static final ProblemType UEID_INVALID = new ProblemType("UEID_INVALID", 400,
            "The ueid is not a SIM Anchor device UEID");
    public static final ProblemType DEVICE_UNKNOWN = new ProblemType("DEVICE_UNKNOWN", 404,
            "No enrolled device has this id");
    public static final ProblemType KEY_NOT_ES256 = new ProblemType("KEY_NOT_ES256", 400,
            "The device's enrolled key is not a P-256 key, so it cannot sign ES256 evidence");
    public static final ProblemType NONCE_INVALID = new ProblemType("NONCE_INVALID", 400,
            "The nonce was not issued for this device by this verifier");
    public static final ProblemType NONCE_EXPIRED = new ProblemType("NONCE_EXPIRED", 400,
            "The nonce expired; request a new one");
    public static final ProblemType NONCE_REPLAYED = new ProblemType("NONCE_REPLAYED", 409,
            "The nonce was already used");
    public static final ProblemType SIGNATURE_INVALID = new ProblemType("SIGNATURE_INVALID", 400,
            "The evidence signature does not verify with the device's enrolled key");
    public static final ProblemType DEVICE_NOT_ACTIVE = new ProblemType("DEVICE_NOT_ACTIVE", 403,
            "The device is suspended, revoked or decommissioned");
    public static final ProblemType IAT_IN_FUTURE = new ProblemType("IAT_IN_FUTURE", 400,
            "The evidence's iat is later than the verifier's clock allows");
    public static final ProblemType IAT_TOO_OLD = new ProblemType("IAT_TOO_OLD", 400,
            "The evidence's iat is earlier than its nonce");
    public static final ProblemType POLICY_INVALID = new ProblemType("POLICY_INVALID", 400,
            "The appraisal policy is not valid");
    public static final ProblemType REFERENCE_VALUES_INVALID = new ProblemType("REFERENCE_VALUES_INVALID", 400,
            "The reference values are not valid");
    public static final ProblemType REFERENCE_VALUES_NOT_FOUND = new ProblemType("REFERENCE_VALUES_NOT_FOUND", 404,
            "No reference values are provisioned for this model and version");

    private AttestationProblems() {
    }
}
