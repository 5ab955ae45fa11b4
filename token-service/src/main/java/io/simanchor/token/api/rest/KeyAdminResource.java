package io.simanchor.token.api.rest;

import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.quarkus.security.identity.SecurityIdentity;
import io.simanchor.support.http.OperatorScope;
import io.simanchor.support.http.Roles;
import io.simanchor.token.infra.crypto.TokenSigningKeys;
import io.smallrye.common.annotation.Blocking;

/** Operator actions on the token signing keys, which sign every tenant's tokens: for platform operators. */
@Path("/api/v1/admin")
@Blocking
@Produces(MediaType.APPLICATION_JSON)
public class KeyAdminResource {

    private final TokenSigningKeys keys;
    private final SecurityIdentity identity;

    KeyAdminResource(TokenSigningKeys keys, SecurityIdentity identity) {
        this.keys = keys;
        this.identity = identity;
    }

    /** Rotates now (AIP-136 custom method): the next key signs from now on; audited. */
    @POST
    @Path("keys:rotate")
    @RolesAllowed(Roles.POLICY_ADMIN)
    public Map<String, String> rotate() {
        OperatorScope.of(identity).requirePlatformWide();
        return Map.of("currentKeyId", keys.rotateNow(identity.getPrincipal().getName()));
    }
}
