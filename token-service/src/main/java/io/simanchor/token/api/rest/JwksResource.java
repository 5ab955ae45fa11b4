package io.simanchor.token.api.rest;

import java.util.List;
import java.util.Map;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.KeyUse;

import io.simanchor.token.config.TokenConfig;
import io.simanchor.token.domain.SigningKey;
import io.simanchor.token.infra.crypto.TokenSigningKeys;

/**
 * The access-token verification keys (RFC 7517 §5): current, next and recently retired. Cacheable for
 * {@code keys.jwks-max-age}: relying parties keep their copy that long, and because the next key is
 * published a rotation period before it signs, a cached copy always knows the signing key (unless an
 * operator rotates twice within that time; relying parties then refetch on an unknown {@code kid}).
 */
@Path("/oauth2/jwks")
@PermitAll // access-token keys are public
public class JwksResource {

    static final String JWK_SET = "application/jwk-set+json";

    private final TokenSigningKeys keys;
    private final long maxAgeSeconds;

    JwksResource(TokenSigningKeys keys, TokenConfig config) {
        this.keys = keys;
        this.maxAgeSeconds = config.keys().jwksMaxAge().toSeconds();
    }

    @GET
    @Produces({JWK_SET, "application/json"})
    public Response jwks() {
        List<Map<String, Object>> published = keys.published().stream().map(JwksResource::jwk).toList();
        return Response.ok(Map.of("keys", published))
                .header(HttpHeaders.CACHE_CONTROL, "public, max-age=" + maxAgeSeconds)
                .build();
    }

    private static Map<String, Object> jwk(SigningKey key) {
        return new ECKey.Builder(Curve.P_256, (java.security.interfaces.ECPublicKey) key.keyPair().getPublic())
                .keyID(key.keyId())
                .keyUse(KeyUse.SIGNATURE)
                .algorithm(JWSAlgorithm.ES256)
                .build()
                .toJSONObject();
    }
}
