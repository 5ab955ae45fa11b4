package io.simanchor.attestation.infra.crypto;

import java.util.LinkedHashMap;
import java.util.Map;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;

import io.simanchor.attestation.domain.Appraisal;
import io.simanchor.attestation.domain.AttestationResult;
import io.simanchor.attestation.domain.ResultSigner;
import io.simanchor.support.crypto.CryptoProviders;

/**
 * Signs EARs (draft-ietf-rats-ear §3) as JWTs, ES256, with the verifier's own key. The claims are those
 * docs/attestation.md lists; the appraisal of the device is the one submodule, {@code device}.
 */
public final class EarSigner implements ResultSigner {

    /** The EAR profile (draft-ietf-rats-ear §3.1). */
    public static final String EAR_PROFILE = "tag:github.com,2023:veraison/ear";
    /** The JWS {@code typ} of an EAR, as for any EAT in JWT form. */
    public static final String TYPE = "eat+jwt";
    /** The name of the submodule that carries the device's appraisal. */
    public static final String SUBMODULE = "device";

    private final ECDSASigner signer;
    private final JWSHeader header;
    private final Map<String, String> verifierId;

    public EarSigner(VerifierKey key, String developer, String build) {
        try {
            this.signer = new ECDSASigner(key.privateKey(), Curve.P_256);
        } catch (JOSEException e) {
            throw new IllegalStateException("the EAR signing key is not a P-256 key", e);
        }
        signer.getJCAContext().setProvider(CryptoProviders.p256());
        this.header = new JWSHeader.Builder(JWSAlgorithm.ES256).type(new JOSEObjectType(TYPE))
                .keyID(key.keyId())
                .build();
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

        JWSObject jws = new JWSObject(header, new Payload(claims));
        try {
            jws.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("EAR signing failed", e);
        }
        return jws.serialize();
    }
}
