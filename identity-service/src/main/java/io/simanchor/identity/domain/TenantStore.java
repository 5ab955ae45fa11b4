package io.simanchor.identity.domain;

/** Tenants: isolated groups of devices (an operator's customer). */
public interface TenantStore {

    /** Creates the tenant if it does not exist; returns whether it was created. */
    boolean create(String tenantId);

    /** Whether the tenant exists. */
    boolean exists(String tenantId);

    /**
     * Whether the tenant allows devices to enroll without a vendor-endorsed SIM key; false for a tenant that
     * does not exist.
     */
    boolean allowsUnendorsedEnrollment(String tenantId);

    /** Sets whether the tenant allows unendorsed enrollment; false if the tenant does not exist. */
    boolean setUnendorsedEnrollment(String tenantId, boolean allowed);
}
