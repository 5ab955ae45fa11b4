package io.simanchor.support.http;

/** Keycloak realm roles of operators (realm {@code simanchor}, k8s/base/keycloak/simanchor-realm.json). */
public final class Roles {

    /** Registers, enrolls for and manages devices. */
    public static final String DEVICE_ADMIN = "device-admin";
    /** Manages trust anchors and policies: vendor keys, reference values, appraisal policies. */
    public static final String POLICY_ADMIN = "policy-admin";
    /** Reads devices and audit data, changes nothing. */
    public static final String AUDITOR = "auditor";

    private Roles() {
    }
}
