package io.simanchor.identity.api.rest;

import java.util.Map;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.simanchor.identity.infra.messaging.LifecycleRecordKey;

/**
 * The keys that sign {@code simanchor.device-lifecycle} records, as a JWKS (RFC 7517 §5): what attestation-,
 * token- and mud-service verify every lifecycle record with before it changes their view (docs/security.md).
 * Public and cacheable: public keys only.
 */
@Path("/.well-known/simanchor/record-keys")
@PermitAll
public class RecordKeysResource {

    private static final int MAX_AGE_SECONDS = 300;

    private final Map<String, Object> jwks;

    RecordKeysResource(LifecycleRecordKey key) {
        this.jwks = key.jwks();
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response keys() {
        return Response.ok(jwks).header(HttpHeaders.CACHE_CONTROL, "public, max-age=" + MAX_AGE_SECONDS).build();
    }
}
