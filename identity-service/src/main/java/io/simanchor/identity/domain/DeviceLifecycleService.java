package io.simanchor.identity.domain;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.simanchor.api.events.DeviceState;
import io.simanchor.api.events.DeviceStateChangedV1;
import io.simanchor.support.audit.AuditEntry;
import io.simanchor.support.problem.ProblemException;

/**
 * Operator lifecycle actions (GSMA CLP.13 6.2, 8.10): suspend, resume, revoke. Revocation is final.
 * Each change is audited with the actor and published on the lifecycle topic.
 */
public final class DeviceLifecycleService {

    /** Allowed transitions: from each state, the states it may move to. */
    private static final Map<DeviceState, Set<DeviceState>> TRANSITIONS = Map.of(
            DeviceState.ACTIVE, Set.of(DeviceState.SUSPENDED, DeviceState.REVOKED),
            DeviceState.SUSPENDED, Set.of(DeviceState.ACTIVE, DeviceState.REVOKED),
            DeviceState.REVOKED, Set.of());

    private final DeviceStore devices;
    private final Clock clock;

    public DeviceLifecycleService(DeviceStore devices, Clock clock) {
        this.devices = devices;
        this.clock = clock;
    }

    /** The device with this id. */
    public Device get(String deviceId) {
        return devices.findById(deviceId)
                .orElseThrow(() -> new ProblemException(IdentityProblems.DEVICE_NOT_FOUND, "No such device"));
    }

    /** A page of devices. */
    public List<Device> list(DeviceQuery query) {
        return devices.list(query);
    }

    /** Moves the device to {@code target}, if the lifecycle allows it. */
    public Device changeState(String deviceId, DeviceState target, String reason, String actor) {
        Device device = get(deviceId);
        if (!TRANSITIONS.get(device.state()).contains(target)) {
            throw new ProblemException(IdentityProblems.STATE_TRANSITION_INVALID,
                    "A " + device.state() + " device cannot become " + target);
        }
        Device changed = device.withState(target);
        Instant now = clock.instant();
        String why = reason == null ? "" : reason;
        boolean applied = devices.changeState(changed, device.state(),
                new DeviceStateChangedV1(changed.snapshot(), device.state(), why, actor, now),
                new AuditEntry(now, actor, "device.state-changed", device.tenantId(), deviceId,
                        Map.of("from", device.state().name(), "to", target.name(), "reason", why)));
        if (!applied) {
            throw new ProblemException(IdentityProblems.STATE_TRANSITION_INVALID,
                    "The device changed state concurrently; read it again");
        }
        return changed;
    }
}
