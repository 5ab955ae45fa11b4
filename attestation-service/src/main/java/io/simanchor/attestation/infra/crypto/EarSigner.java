package io.simanchor.attestation.infra.crypto;

import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;

import io.simanchor.attestation.domain.Appraisal;
import io.simanchor.attestation.domain.AttestationResult;
import io.simanchor.attestation.domain.ResultSigner;
import io.simanchor.support.crypto.StoredSigningKey;
import io.simanchor.support.ear.SignedEar;
import io.simanchor.support.jose.Es256Signer;

/**
 * Signs EARs (draft-ietf-rats-ear §3) as JWTs, ES256, with the verifier's own key. The claims are those
 * docs/attestation.md lists; the appraisal of the device is the one submodule, {@code device}.
 */
public final class EarSigner implements ResultSigner {

    /** The EAR profile (draft-ietf-rats-ear §3.1). */
    public static final String EAR_PROFILE = SignedEar.EAR_PROFILE;
    /** The JWS {@code typ} of an EAR, as for any EAT in JWT form. */
    public static final String TYPE = "eat+jwt";
    /** The name of the submodule that carries the device's appraisal. */
    public static final String SUBMODULE = SignedEar.SUBMODULE;
    /** The verifier's EAR-signing key in its keystore. */
    public static final StoredSigningKey.Purpose PURPOSE = new StoredSigningKey.Purpose("ear-signing",
            "SIM Anchor attestation result signer", "simanchor.attestation.result.keystore-path");

    private final Es256Signer signer;
    private final Map<String, String> verifierId;

    public EarSigner(StoredSigningKey key, String developer, String build) {
        this.signer = new Es256Signer(key.privateKey(), TYPE, key.keyId(), new SecureRandom());
        this.verifierId = Map.of("developer", developer, "build", build);
    }

    @Override
    public String sign(AttestationResult result) {
        Appraisal appraisal = result.appraisal();
        Map<String, Object> submodule = new LinkedHashMap<>();
        submodule.put("ear.status", appraisal.status().claimValue());
        submodule.put("ear.trustworthiness-vector", appraisal.trustworthinessVector());
        submodule.put("ear.appraisal-policy-id", appraisal.policyId());

        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("eat_profile", EAR_PROFILE);
        claims.put("iat", result.issuedAt().getEpochSecond());
        claims.put("exp", result.expiresAt().getEpochSecond());
        claims.put("ear.verifier-id", verifierId);
        claims.put("eat_nonce", result.nonce());
        claims.put("sub", result.deviceId());
        claims.put("cnf", Map.of("jkt", result.keyThumbprint()));
        claims.put("submods", Map.of(SUBMODULE, submodule));

        return signer.sign(claims);
    }
}
