package io.simanchor.identity.domain;

/** Tenants: isolated groups of devices (an operator's customer). */
public interface TenantStore {

    /** Creates the tenant if it does not exist; returns whether it was created. */
    boolean create(String tenantId);

    /** Whether the tenant exists. */
    boolean exists(String tenantId);
}
