package io.simanchor.support.http;

import java.util.Optional;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.quarkus.security.identity.SecurityIdentity;
import io.simanchor.support.problem.CommonProblems;
import io.simanchor.support.problem.ProblemException;

/**
 * The tenants an operator acts for (issue 28, point 7). Keycloak writes the operator's tenant into the access
 * token's {@value #TENANT_CLAIM} claim: the realm's {@code simanchor-tenant} mapper reads the user attribute
 * {@code tenant}, which only realm administrators can set. An operator with the realm role
 * {@link Roles#PLATFORM_OPERATOR} acts for every tenant. A token with neither acts for none: scoping fails
 * closed, it never falls back to "everything".
 *
 * <p>Each admin endpoint asks its scope where it uses the data: a resource of another tenant is not found
 * (404, so an operator learns nothing about other tenants' devices), a request that names another tenant is
 * refused ({@link CommonProblems#TENANT_NOT_PERMITTED}), and settings shared by every tenant need the platform
 * role ({@link CommonProblems#PLATFORM_OPERATOR_REQUIRED}).
 */
public final class OperatorScope {

    /** Access-token claim with the operator's tenant. */
    public static final String TENANT_CLAIM = "tenant";

    /** The tenant a platform-wide operator means when a request names none. */
    private static final String DEFAULT_TENANT = "default";

    private final boolean platformWide;
    private final Optional<String> tenant;

    private OperatorScope(boolean platformWide, Optional<String> tenant) {
        this.platformWide = platformWide;
        this.tenant = tenant;
    }

    /** The scope of the authenticated operator of this request. */
    public static OperatorScope of(SecurityIdentity identity) {
        if (identity.hasRole(Roles.PLATFORM_OPERATOR)) {
            return platform();
        }
        if (identity.getPrincipal() instanceof JsonWebToken token
                && token.getClaim(TENANT_CLAIM) instanceof String claimed && !claimed.isBlank()) {
            return tenant(claimed);
        }
        return new OperatorScope(false, Optional.empty());
    }

    /** An operator of every tenant. */
    public static OperatorScope platform() {
        return new OperatorScope(true, Optional.empty());
    }

    /** An operator of one tenant. */
    public static OperatorScope tenant(String tenantId) {
        return new OperatorScope(false, Optional.of(tenantId));
    }

    /** Whether this operator may see and manage data of {@code tenantId}. */
    public boolean covers(String tenantId) {
        return platformWide || tenant.isPresent() && tenant.get().equals(tenantId);
    }

    /** Refuses a request that names a tenant this operator does not act for. */
    public void requireTenant(String tenantId) {
        if (!covers(tenantId)) {
            throw new ProblemException(CommonProblems.TENANT_NOT_PERMITTED,
                    tenant.map(own -> "This operator acts for tenant '" + own + "' only")
                            .orElse("The operator's token names no tenant (claim '" + TENANT_CLAIM + "')"));
        }
    }

    /**
     * The tenant a request acts on: the one it names (which must be covered), else the operator's own, else
     * {@code default} for a platform-wide operator.
     */
    public String tenantOr(String requested) {
        if (requested != null) {
            requireTenant(requested);
            return requested;
        }
        if (platformWide) {
            return DEFAULT_TENANT;
        }
        return tenant.orElseThrow(() -> new ProblemException(CommonProblems.TENANT_NOT_PERMITTED,
                "The operator's token names no tenant (claim '" + TENANT_CLAIM + "')"));
    }

    /**
     * The tenant a listing is limited to: the one it asks for (which must be covered), else the operator's own;
     * empty only for a platform-wide operator that asks for every tenant.
     */
    public Optional<String> listFilter(String requested) {
        if (platformWide && requested == null) {
            return Optional.empty();
        }
        return Optional.of(tenantOr(requested));
    }

    /** Refuses a change to what every tenant shares unless the operator is platform-wide. */
    public void requirePlatformWide() {
        if (!platformWide) {
            throw new ProblemException(CommonProblems.PLATFORM_OPERATOR_REQUIRED,
                    "Ask an operator with the role '" + Roles.PLATFORM_OPERATOR + "'");
        }
    }

    @Override
    public String toString() {
        return platformWide ? "every tenant" : tenant.map(t -> "tenant " + t).orElse("no tenant");
    }
}
