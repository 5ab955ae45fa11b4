package io.simanchor.interop;

import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.quarkus.security.Authenticated;

/**
 * A relying party as a device-facing API would be written with quarkus-smallrye-jwt: it knows nothing of
 * SIM Anchor but token-service's JWKS URL and issuer (application.properties) and accepts its tokens.
 */
@Path("/api/device/me")
public class DeviceApi {

    @Inject
    JsonWebToken token;

    @GET
    @Authenticated
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> me() {
        return Map.of("subject", token.getSubject(), "scope", String.valueOf(token.<Object>getClaim("scope")));
    }
}
