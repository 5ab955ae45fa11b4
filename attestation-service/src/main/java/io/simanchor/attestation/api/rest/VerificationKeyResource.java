package io.simanchor.attestation.api.rest;

import java.util.List;
import java.util.Map;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.KeyUse;

import io.simanchor.api.attestation.EatEvidenceV1;
import io.simanchor.attestation.infra.crypto.EarSigner;
import io.simanchor.support.crypto.StoredSigningKey;

/**
 * How relying parties verify EARs, in the spirit of Veraison's {@code /.well-known/veraison/verification}:
 * the verifier's public key as a JWKS, the media types of evidence it accepts and the EAR profile it
 * produces. Public and cacheable; the key changes only when operators replace the keystore.
 */
@Path("/.well-known/simanchor/verification")
@PermitAll // public keys for relying parties
public class VerificationKeyResource {

    private static final int MAX_AGE_SECONDS = 300;

    private final Map<String, Object> document;

    VerificationKeyResource(StoredSigningKey key) {
        Map<String, Object> jwk = new ECKey.Builder(Curve.P_256, key.publicKey().jcaKey()).keyID(key.keyId())
                .keyUse(KeyUse.SIGNATURE)
                .algorithm(JWSAlgorithm.ES256)
                .build()
                .toJSONObject();
        this.document = Map.of("keys", List.of(jwk), "ear-verification-key", jwk, "media-types",
                List.of(EatEvidenceV1.MEDIA_TYPE), "ear-profile", EarSigner.EAR_PROFILE);
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response verification() {
        return Response.ok(document).header(HttpHeaders.CACHE_CONTROL, "public, max-age=" + MAX_AGE_SECONDS).build();
    }
}
