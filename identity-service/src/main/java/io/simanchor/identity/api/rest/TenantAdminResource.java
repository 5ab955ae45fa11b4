package io.simanchor.identity.api.rest;

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
import io.simanchor.identity.domain.IdentityProblems;
import io.simanchor.identity.domain.TenantService;
import io.simanchor.support.crypto.EcPublicKey;
import io.simanchor.support.http.OperatorScope;
import io.simanchor.support.http.Roles;
import io.simanchor.support.problem.ProblemException;
import io.smallrye.common.annotation.Blocking;

/**
 * Tenants and the SIM vendor keys they trust (trust anchors: role policy-admin). Only a platform operator
 * creates tenants, registers vendor keys and allows unendorsed enrollment; a tenant's operators read their own
 * tenant's policy and may tighten it, and no other tenant exists for them.
 */
@Path("/api/v1/admin/tenants/{tenantId}")
@Blocking
@RolesAllowed(Roles.POLICY_ADMIN)
@Produces(MediaType.APPLICATION_JSON)
public class TenantAdminResource {

    private final TenantService tenants;
    private final SecurityIdentity identity;

    TenantAdminResource(TenantService tenants, SecurityIdentity identity) {
        this.tenants = tenants;
        this.identity = identity;
    }

    /** Body of a vendor key registration. */
    public record VendorKeyRequest(String publicKey) {
    }

    /** A registered vendor key. */
    public record VendorKeyResponse(String tenantId, String keyId, String keyThumbprint) {
    }

    /** A tenant. */
    public record TenantResponse(String tenantId, boolean created) {
    }

    /**
     * How a tenant's devices enroll.
     *
     * @param unendorsedEnrollment whether a registration without a vendor-endorsed SIM key may enroll (false
     *     unless an operator set it: the first key to answer a challenge for such an ICCID is bound)
     */
    public record EnrollmentPolicy(Boolean unendorsedEnrollment) {
    }

    @PUT
    public Response create(@PathParam("tenantId") String tenantId) {
        OperatorScope.of(identity).requirePlatformWide();
        boolean created = tenants.createTenant(tenantId, identity.getPrincipal().getName());
        return Response.status(created ? Response.Status.CREATED : Response.Status.OK)
                .entity(new TenantResponse(tenantId, created))
                .build();
    }

    @GET
    @Path("/enrollment-policy")
    public EnrollmentPolicy enrollmentPolicy(@PathParam("tenantId") String tenantId) {
        return new EnrollmentPolicy(tenants.allowsUnendorsedEnrollment(visible(tenantId)));
    }

    @PUT
    @Path("/enrollment-policy")
    @Consumes(MediaType.APPLICATION_JSON)
    public EnrollmentPolicy setEnrollmentPolicy(@PathParam("tenantId") String tenantId, EnrollmentPolicy policy) {
        visible(tenantId);
        Requests.require(policy != null && policy.unendorsedEnrollment() != null, "unendorsedEnrollment");
        if (policy.unendorsedEnrollment()) {
            // Loosening lets the first key to answer a challenge bind an ICCID of this tenant: a platform decision.
            // Tightening is the tenant's own (issue 28, point 7).
            OperatorScope.of(identity).requirePlatformWide();
        }
        tenants.setUnendorsedEnrollment(tenantId, policy.unendorsedEnrollment(), identity.getPrincipal().getName());
        return new EnrollmentPolicy(tenants.allowsUnendorsedEnrollment(tenantId));
    }

    @PUT
    @Path("/vendor-keys/{keyId}")
    @Consumes(MediaType.APPLICATION_JSON)
    public VendorKeyResponse putVendorKey(@PathParam("tenantId") String tenantId, @PathParam("keyId") String keyId,
            VendorKeyRequest request) {
        visible(tenantId);
        // A vendor key is a trust anchor: with one, a tenant's operator could endorse any SIM key for an ICCID
        // that another tenant has not registered yet. Trust anchors are the platform's decision.
        OperatorScope.of(identity).requirePlatformWide();
        Requests.require(request != null && request.publicKey() != null, "publicKey");
        EcPublicKey key = tenants.putVendorKey(tenantId, keyId, request.publicKey(), identity.getPrincipal().getName());
        return new VendorKeyResponse(tenantId, keyId, key.thumbprint());
    }

    /** The tenant, if the operator acts for it: another tenant is not found, whether it exists or not. */
    private String visible(String tenantId) {
        if (!OperatorScope.of(identity).covers(tenantId)) {
            throw new ProblemException(IdentityProblems.TENANT_NOT_FOUND, "No such tenant");
        }
        return tenantId;
    }
}
