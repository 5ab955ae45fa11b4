package io.simanchor.identity.api.rest;

/** Keycloak realm roles of operators (realm {@code simanchor}, k8s/base/keycloak/simanchor-realm.json). */
final class Roles {

    /** Registers, enrolls for and manages devices. */
    static final String DEVICE_ADMIN = "device-admin";
    /** Manages trust anchors and policies: tenants' vendor keys. */
    static final String POLICY_ADMIN = "policy-admin";
    /** Reads devices and audit data, changes nothing. */
    static final String AUDITOR = "auditor";

    private Roles() {
    }
}
