package io.simanchor.mud.api.rest;

import java.net.URI;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.quarkus.security.identity.SecurityIdentity;
import io.simanchor.mud.domain.ModelKey;
import io.simanchor.mud.domain.MudPublishing;
import io.simanchor.support.http.OperatorScope;
import io.simanchor.support.http.Roles;
import io.smallrye.common.annotation.Blocking;

/**
 * MUD files per model: a {@code policy-admin} who is also a {@code platform-operator} uploads them (a model's file
 * applies to every tenant's devices; validated, signed, versioned, audited); auditors may list them.
 */
@Path("/api/v1/admin/mud")
@Blocking
@Produces(MediaType.APPLICATION_JSON)
public class MudAdminResource {

    private final MudPublishing publishing;
    private final SecurityIdentity identity;

    MudAdminResource(MudPublishing publishing, SecurityIdentity identity) {
        this.publishing = publishing;
        this.identity = identity;
    }

    /** 201 with the new version, or 200 when the file is the current one already. */
    @PUT
    @Path("/{manufacturer}/{model}")
    @Consumes({MudMediaTypes.MUD_JSON, MediaType.APPLICATION_JSON})
    @RolesAllowed(Roles.POLICY_ADMIN)
    public Response put(@PathParam("manufacturer") String manufacturer, @PathParam("model") String model,
            byte[] body) {
        OperatorScope.of(identity).requirePlatformWide();
        MudPublishing.Published published = publishing.publish(new ModelKey(manufacturer, model),
                body == null ? new byte[0] : body, identity.getPrincipal().getName());
        MudFileSummary summary = MudFileSummary.of(published.version());
        return published.created()
                ? Response.created(URI.create(summary.mudUrl())).entity(summary).build()
                : Response.ok(summary).build();
    }

    @GET
    @RolesAllowed({Roles.POLICY_ADMIN, Roles.AUDITOR})
    public List<MudFileSummary> list() {
        return publishing.currentVersions().stream().map(MudFileSummary::of).toList();
    }
}
