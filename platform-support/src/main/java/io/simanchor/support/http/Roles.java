package io.simanchor.support.http;

/** Keycloak realm roles of operators (realm {@code simanchor}, k8s/base/keycloak/simanchor-realm.json). */
public final class Roles {

    /** Registers, enrolls for and manages devices. */
    public static final String DEVICE_ADMIN = "device-admin";
    /** Manages trust anchors and policies: vendor keys, reference values, appraisal policies. */
    public static final String POLICY_ADMIN = "policy-admin";
    /** Reads devices and audit data, changes nothing. */
    public static final String AUDITOR = "auditor";

    /**
     * Acts for every tenant, and changes what applies to all of them: new tenants, reference values, appraisal
     * policies, MUD files, token keys. Without it an operator acts only for the tenant its token names
     * ({@link OperatorScope}).
     */
    public static final String PLATFORM_OPERATOR = "platform-operator";

    private Roles() {
    }
}
