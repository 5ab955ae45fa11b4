package io.simanchor.token.api.rest;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.simanchor.token.config.ServiceWiring;
import io.simanchor.token.config.TokenConfig;
import io.simanchor.token.domain.TokenRequest;

/** Authorization server metadata (RFC 8414 §2, §3). */
@Path("/.well-known/oauth-authorization-server")
@PermitAll // RFC 8414 metadata is public
public class MetadataResource {

    private static final int MAX_AGE_SECONDS = 3600;

    private final Map<String, Object> metadata;

    MetadataResource(TokenConfig config) {
        String issuer = config.issuer();
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("issuer", issuer);
        document.put("token_endpoint", issuer + ServiceWiring.TOKEN_PATH);
        document.put("jwks_uri", issuer + "/oauth2/jwks");
        document.put("grant_types_supported", List.of(TokenRequest.GRANT_TYPE));
        // RFC 8414 §2 lists response_types_supported as required; there is no authorization endpoint.
        document.put("response_types_supported", List.of());
        document.put("token_endpoint_auth_methods_supported", List.of("private_key_jwt"));
        document.put("token_endpoint_auth_signing_alg_values_supported", List.of("ES256"));
        document.put("scopes_supported", List.copyOf(new TreeSet<>(config.policy().scopes().keySet())));
        document.put("attestation_result_parameter", TokenRequest.ATTESTATION_RESULT);
        this.metadata = Map.copyOf(document);
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response metadata() {
        return Response.ok(metadata).header(HttpHeaders.CACHE_CONTROL, "public, max-age=" + MAX_AGE_SECONDS).build();
    }
}
