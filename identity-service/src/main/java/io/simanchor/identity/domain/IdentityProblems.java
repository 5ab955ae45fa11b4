package io.simanchor.identity.domain;

import io.simanchor.support.problem.ProblemType;

/**
 * Every way identity-service refuses a request. The code doubles as the reason code of the security
 * event when the refusal may be an attack; docs/problems.md lists them all.
 */
public final class IdentityProblems {

    public static final ProblemType INVALID_ICCID = new ProblemType("INVALID_ICCID", 400,
            "The ICCID is not 18 to 22 digits");
    public static final ProblemType INVALID_FIELD = new ProblemType("INVALID_FIELD", 400,
            "A field is missing or has an invalid value");
    public static final ProblemType CHALLENGE_INVALID = new ProblemType("CHALLENGE_INVALID", 400,
            "The challenge is unknown, was already used, or belongs to something else");
    public static final ProblemType CHALLENGE_EXPIRED = new ProblemType("CHALLENGE_EXPIRED", 400,
            "The challenge expired; request a new one");
    public static final ProblemType CHALLENGE_MISMATCH = new ProblemType("CHALLENGE_MISMATCH", 400,
            "The CSR's challengePassword is not the challenge's nonce");
    public static final ProblemType CSR_MALFORMED = new ProblemType("CSR_MALFORMED", 400,
            "The CSR is not a well-formed PKCS#10 request in PEM");
    public static final ProblemType KEY_UNSUPPORTED = new ProblemType("KEY_UNSUPPORTED", 400,
            "Only EC keys on secp256r1 or brainpoolP256r1 are accepted");
    public static final ProblemType INVALID_CURVE_POINT = new ProblemType("INVALID_CURVE_POINT", 400,
            "The public key is not a valid point on its curve");
    public static final ProblemType CSR_SIGNATURE_INVALID = new ProblemType("CSR_SIGNATURE_INVALID", 400,
            "The CSR's signature does not verify with its public key");
    public static final ProblemType SIM_KEY_MISMATCH = new ProblemType("SIM_KEY_MISMATCH", 403,
            "The key is not the SIM key the vendor endorsed for this registration");
    public static final ProblemType KEY_REUSE_DETECTED = new ProblemType("KEY_REUSE_DETECTED", 409,
            "The key is already bound to another device");
    public static final ProblemType ALREADY_ENROLLED = new ProblemType("ALREADY_ENROLLED", 409,
            "The registration is already enrolled; use key rotation");
    public static final ProblemType ROTATION_PROOF_INVALID = new ProblemType("ROTATION_PROOF_INVALID", 400,
            "The key-rotation proof is not signed by the device's current key");
    public static final ProblemType DEVICE_NOT_FOUND = new ProblemType("DEVICE_NOT_FOUND", 404, "No such device");
    public static final ProblemType DEVICE_NOT_ACTIVE = new ProblemType("DEVICE_NOT_ACTIVE", 409,
            "The device is suspended or revoked");
    public static final ProblemType STATE_TRANSITION_INVALID = new ProblemType("STATE_TRANSITION_INVALID", 409,
            "The device cannot move to that state from its current one");
    public static final ProblemType TENANT_NOT_FOUND = new ProblemType("TENANT_NOT_FOUND", 404, "No such tenant");
    public static final ProblemType REGISTRATION_CONFLICT = new ProblemType("REGISTRATION_CONFLICT", 409,
            "The ICCID is already registered with different data");
    public static final ProblemType ENDORSEMENT_INVALID = new ProblemType("ENDORSEMENT_INVALID", 400,
            "The vendor endorsement is missing or does not verify with the tenant's vendor key");
    public static final ProblemType ENDORSEMENT_REQUIRED = new ProblemType("ENDORSEMENT_REQUIRED", 400,
            "The tenant enrolls only SIM keys its vendor endorsed; the record needs 'simPublicKey', 'vendorKeyId' "
                    + "and 'endorsement'");
    public static final ProblemType UNENDORSED_ENROLLMENT_REFUSED = new ProblemType("UNENDORSED_ENROLLMENT_REFUSED",
            403,
            "The registration names no vendor-endorsed SIM key and its tenant does not allow unendorsed enrollment");
    public static final ProblemType VENDOR_KEY_INVALID = new ProblemType("VENDOR_KEY_INVALID", 400,
            "The vendor key is not a P-256 public key in PEM");

    private IdentityProblems() {
    }
}
