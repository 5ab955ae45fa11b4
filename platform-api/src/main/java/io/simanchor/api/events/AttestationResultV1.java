package io.simanchor.api.events;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The outcome of one appraisal of a device's evidence. Topic {@link Topics#ATTESTATION_RESULTS},
 * key = device id. Relying parties (token-service, mud-service) build their view of a device's
 * attestation status from it; the device itself carries the signed EAR (RATS passport model). The record
 * carries that EAR too, and a relying party MUST take the verdict from it, verified with the verifier's
 * published keys, not from the record's other fields, which repeat it for readers that trust the topic
 * (monitoring) and add what the EAR does not say (docs/security.md).
 *
 * @param deviceId the appraised device
 * @param tenantId its tenant
 * @param status {@code affirming}, {@code warning} or {@code contraindicated} (the EAR's {@code ear.status})
 * @param trustworthinessVector AR4SI claim name to value, as in the EAR
 * @param policyId the appraisal policy applied ({@code ear.appraisal-policy-id})
 * @param hwModel the hardware model the evidence reported
 * @param swVersion the software version the evidence reported
 * @param reasonCodes why a claim is not affirming, e.g. {@code MEASUREMENT_MISMATCH}; empty when affirming
 * @param keyThumbprint RFC 7638 thumbprint of the key that signed the evidence
 * @param appraisedAt when the verifier appraised the evidence (the EAR's {@code iat})
 * @param expiresAt when the EAR expires
 * @param ear the signed EAR (compact JWS) that attestation-service returned to the device
 */
public record AttestationResultV1(
        String deviceId,
        String tenantId,
        String status,
        Map<String, Integer> trustworthinessVector,
        String policyId,
        String hwModel,
        String swVersion,
        List<String> reasonCodes,
        String keyThumbprint,
        Instant appraisedAt,
        Instant expiresAt,
        String ear) {

    /** CloudEvents {@code ce_type} of this record. */
    public static final String TYPE = "simanchor.attestation.appraised.v1";
}
