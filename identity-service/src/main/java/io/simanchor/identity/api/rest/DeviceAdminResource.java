package io.simanchor.identity.api.rest;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import io.quarkus.security.identity.SecurityIdentity;
import io.simanchor.api.events.DeviceState;
import io.simanchor.identity.domain.Device;
import io.simanchor.identity.domain.DeviceLifecycleService;
import io.simanchor.identity.domain.DeviceQuery;
import io.simanchor.identity.domain.IdentityProblems;
import io.simanchor.support.http.OperatorScope;
import io.simanchor.support.http.Roles;
import io.simanchor.support.problem.ProblemException;
import io.smallrye.common.annotation.Blocking;

/** Operators read and manage the enrolled devices of the tenants they act for ({@link OperatorScope}). */
@Path("/api/v1/admin/devices")
@Blocking
@Produces(MediaType.APPLICATION_JSON)
public class DeviceAdminResource {

    private final DeviceLifecycleService lifecycle;
    private final SecurityIdentity identity;

    DeviceAdminResource(DeviceLifecycleService lifecycle, SecurityIdentity identity) {
        this.lifecycle = lifecycle;
        this.identity = identity;
    }

    /** A device as operators see it. */
    public record DeviceView(String deviceId, String tenantId, String hwModel, String manufacturer, String state,
            String keyThumbprint, String curve, String certificateSerial, Instant certificateNotAfter, String mudUrl,
            Instant enrolledAt, boolean endorsed) {

        static DeviceView of(Device device) {
            return new DeviceView(device.id(), device.tenantId(), device.hwModel(), device.manufacturer(),
                    device.state().name(), device.key().thumbprint(), device.key().curve().jwkName(),
                    device.certificateSerial(), device.certificateNotAfter(), device.mudUrl(), device.enrolledAt(),
                    device.endorsed());
        }
    }

    /** A page of devices; pass {@code nextPageToken} as {@code pageToken} for the next one. */
    public record DevicePage(List<DeviceView> devices, String nextPageToken) {
    }

    /** Optional body of a state change. */
    public record StateChangeRequest(String reason) {
    }

    @GET
    @Path("/{deviceId}")
    @RolesAllowed({Roles.DEVICE_ADMIN, Roles.AUDITOR})
    public DeviceView get(@PathParam("deviceId") String deviceId) {
        return DeviceView.of(visible(deviceId));
    }

    @GET
    @RolesAllowed({Roles.DEVICE_ADMIN, Roles.AUDITOR})
    public DevicePage list(@QueryParam("tenant") String tenant, @QueryParam("state") String state,
            @QueryParam("hwModel") String hwModel, @QueryParam("pageToken") String pageToken,
            @QueryParam("pageSize") @DefaultValue("100") String pageSizeText) {
        int pageSize = pageSize(pageSizeText);
        DeviceQuery query = new DeviceQuery(scope().listFilter(tenant), Optional.ofNullable(state).map(this::state),
                Optional.ofNullable(hwModel), Optional.ofNullable(pageToken), pageSize);
        List<DeviceView> devices = lifecycle.list(query).stream().map(DeviceView::of).toList();
        String next = devices.size() == pageSize ? devices.get(devices.size() - 1).deviceId() : null;
        return new DevicePage(devices, next);
    }

    @POST
    @Path("/{deviceId}/suspend")
    @RolesAllowed(Roles.DEVICE_ADMIN)
    @Consumes(MediaType.APPLICATION_JSON)
    public DeviceView suspend(@PathParam("deviceId") String deviceId, StateChangeRequest request) {
        return change(deviceId, DeviceState.SUSPENDED, request);
    }

    @POST
    @Path("/{deviceId}/resume")
    @RolesAllowed(Roles.DEVICE_ADMIN)
    @Consumes(MediaType.APPLICATION_JSON)
    public DeviceView resume(@PathParam("deviceId") String deviceId, StateChangeRequest request) {
        return change(deviceId, DeviceState.ACTIVE, request);
    }

    @POST
    @Path("/{deviceId}/revoke")
    @RolesAllowed(Roles.DEVICE_ADMIN)
    @Consumes(MediaType.APPLICATION_JSON)
    public DeviceView revoke(@PathParam("deviceId") String deviceId, StateChangeRequest request) {
        return change(deviceId, DeviceState.REVOKED, request);
    }

    private DeviceView change(String deviceId, DeviceState target, StateChangeRequest request) {
        String reason = request == null ? null : request.reason();
        if (reason != null && reason.length() > 512) {
            throw new ProblemException(IdentityProblems.INVALID_FIELD, "'reason' is at most 512 characters");
        }
        visible(deviceId);
        return DeviceView.of(lifecycle.changeState(deviceId, target, reason, identity.getPrincipal().getName()));
    }

    /** The device, if the operator acts for its tenant; a device of another tenant is not found, like none. */
    private Device visible(String deviceId) {
        Device device = lifecycle.get(deviceId);
        if (!scope().covers(device.tenantId())) {
            throw new ProblemException(IdentityProblems.DEVICE_NOT_FOUND, "No such device");
        }
        return device;
    }

    private OperatorScope scope() {
        return OperatorScope.of(identity);
    }

    /** Read here: a parameter JAX-RS fails to convert is answered 404, as if the collection did not exist. */
    private static int pageSize(String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new ProblemException(IdentityProblems.INVALID_FIELD, "'pageSize' must be between 1 and 500");
        }
    }

    private DeviceState state(String value) {
        try {
            return DeviceState.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ProblemException(IdentityProblems.INVALID_FIELD, "'state' is one of active, suspended, revoked");
        }
    }
}
