package io.simanchor.mud.api.rest;

import java.net.InetAddress;
import java.net.UnknownHostException;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import io.quarkus.security.identity.SecurityIdentity;
import io.simanchor.api.events.MudPolicyV1;
import io.simanchor.mud.domain.MudProblems;
import io.simanchor.mud.domain.NftablesRuleset;
import io.simanchor.mud.domain.PolicyStore;
import io.simanchor.support.http.OperatorScope;
import io.simanchor.support.http.Roles;
import io.simanchor.support.problem.ProblemException;
import io.smallrye.common.annotation.Blocking;

/** A device's effective policy as last published, and as an nftables ruleset for its gateway; per tenant. */
@Path("/api/v1/admin/devices/{id}")
@Blocking
@RolesAllowed({Roles.POLICY_ADMIN, Roles.DEVICE_ADMIN, Roles.AUDITOR})
public class DevicePolicyResource {

    private final PolicyStore policies;
    private final NftablesRuleset nftables;
    private final SecurityIdentity identity;

    DevicePolicyResource(PolicyStore policies, NftablesRuleset nftables, SecurityIdentity identity) {
        this.policies = policies;
        this.nftables = nftables;
        this.identity = identity;
    }

    /** The policy with its tier, the facts it was derived from ({@code basis}) and why ({@code reasons}). */
    @GET
    @Path("/policy")
    @Produces(MediaType.APPLICATION_JSON)
    public MudPolicyV1 policy(@PathParam("id") String deviceId) {
        return find(deviceId);
    }

    /**
     * The policy for {@code nft -f} on the gateway that forwards the device's traffic; {@code address} is the
     * device's IP address there (the mobile network assigns it, the platform does not know it).
     */
    @GET
    @Path("/policy.nft")
    @Produces(MediaType.TEXT_PLAIN)
    public String nftables(@PathParam("id") String deviceId, @QueryParam("address") String address) {
        InetAddress deviceAddress = literal(address);
        return nftables.render(find(deviceId), deviceAddress);
    }

    private MudPolicyV1 find(String deviceId) {
        // A device of a tenant the operator does not act for has no policy it can see (issue 28, point 7).
        return policies.find(deviceId)
                .filter(policy -> OperatorScope.of(identity).covers(policy.tenantId()))
                .orElseThrow(() -> new ProblemException(MudProblems.DEVICE_POLICY_NOT_FOUND,
                        "No effective policy for this device"));
    }

    private static InetAddress literal(String address) {
        // Only literals: a name here would make the service resolve whatever a caller sends.
        if (address == null || !(address.contains(":") || address.matches("\\d{1,3}(\\.\\d{1,3}){3}"))
                || !address.matches("[0-9A-Fa-f:.]{2,45}")) {
            throw new ProblemException(MudProblems.DEVICE_ADDRESS_INVALID,
                    "Give the device's IPv4 or IPv6 address as ?address=");
        }
        try {
            InetAddress parsed = InetAddress.getByName(address);
            if (parsed.isAnyLocalAddress() || parsed.isMulticastAddress()) {
                throw new ProblemException(MudProblems.DEVICE_ADDRESS_INVALID, "The address must be a unicast address");
            }
            return parsed;
        } catch (UnknownHostException e) {
            throw new ProblemException(MudProblems.DEVICE_ADDRESS_INVALID,
                    "Give the device's IPv4 or IPv6 address as ?address=");
        }
    }
}
