package io.simanchor.attestation.api.rest;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.quarkus.security.identity.SecurityIdentity;
import io.simanchor.api.attestation.MeasurementV1;
import io.simanchor.attestation.domain.AppraisalPolicy;
import io.simanchor.attestation.domain.PolicyAdministration;
import io.simanchor.attestation.domain.ReferenceValues;
import io.simanchor.support.http.OperatorScope;
import io.simanchor.support.http.Roles;
import io.smallrye.common.annotation.Blocking;

/**
 * What appraisal compares evidence with: reference values per (model, software version) and the appraisal
 * policy per model. They apply to every tenant's devices of the model, so changes need {@code policy-admin}
 * and {@code platform-operator} ({@link OperatorScope}) and are audited; auditors may read.
 */
@Path("/api/v1/admin")
@Blocking
@Produces(MediaType.APPLICATION_JSON)
public class PolicyAdminResource {

    private final PolicyAdministration administration;
    private final SecurityIdentity identity;

    PolicyAdminResource(PolicyAdministration administration, SecurityIdentity identity) {
        this.administration = administration;
        this.identity = identity;
    }

    /** Body of a reference-values provisioning: the measurements a genuine device reports. */
    public record ReferenceValuesRequest(List<MeasurementV1> measurements) {
    }

    @PUT
    @Path("/reference-values/{hwmodel}/{swversion}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.POLICY_ADMIN)
    public ReferenceValues putReferenceValues(@PathParam("hwmodel") String hwModel,
            @PathParam("swversion") String swVersion, ReferenceValuesRequest request) {
        OperatorScope.of(identity).requirePlatformWide();
        return administration.provisionReferenceValues(hwModel, swVersion,
                request == null ? null : request.measurements(), identity.getPrincipal().getName());
    }

    @GET
    @Path("/reference-values/{hwmodel}/{swversion}")
    @RolesAllowed({Roles.POLICY_ADMIN, Roles.AUDITOR})
    public ReferenceValues getReferenceValues(@PathParam("hwmodel") String hwModel,
            @PathParam("swversion") String swVersion) {
        return administration.referenceValues(hwModel, swVersion);
    }

    @PUT
    @Path("/appraisal-policies/{hwmodel}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.POLICY_ADMIN)
    public AppraisalPolicy putPolicy(@PathParam("hwmodel") String hwModel, AppraisalPolicy policy) {
        OperatorScope.of(identity).requirePlatformWide();
        return administration.setPolicy(hwModel, policy, identity.getPrincipal().getName());
    }

    @GET
    @Path("/appraisal-policies/{hwmodel}")
    @RolesAllowed({Roles.POLICY_ADMIN, Roles.AUDITOR})
    public AppraisalPolicy getPolicy(@PathParam("hwmodel") String hwModel) {
        return administration.policy(hwModel);
    }
}
