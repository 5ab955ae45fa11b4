package io.simanchor.identity.domain;

import java.util.Optional;

import io.simanchor.api.events.DeviceState;

/**
 * Filters and keyset paging for listing devices.
 *
 * @param tenantId only this tenant's devices
 * @param state only devices in this state
 * @param hwModel only this model
 * @param afterId devices with an id greater than this (the previous page's last id)
 * @param limit page size, 1 to 500
 */
public record DeviceQuery(Optional<String> tenantId, Optional<DeviceState> state, Optional<String> hwModel,
        Optional<String> afterId, int limit) {

    public DeviceQuery {
        if (limit < 1 || limit > 500) {
            throw new io.simanchor.support.problem.ProblemException(IdentityProblems.INVALID_FIELD,
                    "'pageSize' must be between 1 and 500");
        }
    }
}
