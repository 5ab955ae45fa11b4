package io.simanchor.identity.domain;

import java.time.Clock;
import java.util.Base64;
import java.util.Map;

import io.simanchor.support.audit.AuditEntry;
import io.simanchor.support.crypto.CryptoInputException;
import io.simanchor.support.crypto.EcCurve;
import io.simanchor.support.crypto.EcPublicKey;
import io.simanchor.support.crypto.PemCodec;
import io.simanchor.support.problem.ProblemException;

/** Tenants and the SIM vendor keys they trust for manifest endorsements. */
public final class TenantService {

    private final TenantStore tenants;
    private final VendorKeyStore vendorKeys;
    private final AuditLog auditLog;
    private final Clock clock;

    public TenantService(TenantStore tenants, VendorKeyStore vendorKeys, AuditLog auditLog, Clock clock) {
        this.tenants = tenants;
        this.vendorKeys = vendorKeys;
        this.auditLog = auditLog;
        this.clock = clock;
    }

    /** Creates the tenant; true if it is new. */
    public boolean createTenant(String tenantId, String actor) {
        if (tenantId == null || !tenantId.matches("[a-z0-9][a-z0-9-]{0,62}")) {
            throw new ProblemException(IdentityProblems.INVALID_FIELD,
                    "A tenant id is 1 to 63 lowercase letters, digits and '-'");
        }
        boolean created = tenants.create(tenantId);
        if (created) {
            auditLog.append(new AuditEntry(clock.instant(), actor, "tenant.created", tenantId, tenantId, Map.of()));
        }
        return created;
    }

    /**
     * Allows or refuses enrollment without a vendor-endorsed SIM key for the tenant (refused unless set). An
     * ICCID is printed on the SIM, so without an endorsed key the first key to answer a challenge for it is
     * bound: only a tenant whose SIMs cannot carry endorsements should allow this.
     */
    public void setUnendorsedEnrollment(String tenantId, boolean allowed, String actor) {
        if (tenantId == null || !tenants.setUnendorsedEnrollment(tenantId, allowed)) {
            throw new ProblemException(IdentityProblems.TENANT_NOT_FOUND, "No such tenant");
        }
        auditLog.append(new AuditEntry(clock.instant(), actor,
                allowed ? "tenant.unendorsed-enrollment-allowed" : "tenant.unendorsed-enrollment-refused", tenantId,
                tenantId, Map.of()));
    }

    /** Whether the tenant allows enrollment without a vendor-endorsed SIM key. */
    public boolean allowsUnendorsedEnrollment(String tenantId) {
        if (tenantId == null || !tenants.exists(tenantId)) {
            throw new ProblemException(IdentityProblems.TENANT_NOT_FOUND, "No such tenant");
        }
        return tenants.allowsUnendorsedEnrollment(tenantId);
    }

    /** Registers or replaces the vendor key {@code keyId} (PEM SubjectPublicKeyInfo, P-256). */
    public EcPublicKey putVendorKey(String tenantId, String keyId, String publicKeyPem, String actor) {
        if (!tenants.exists(tenantId)) {
            throw new ProblemException(IdentityProblems.TENANT_NOT_FOUND, "No such tenant");
        }
        if (keyId == null || !keyId.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new ProblemException(IdentityProblems.INVALID_FIELD,
                    "A vendor key id is 1 to 64 of letters, digits, '.', '_' and '-'");
        }
        EcPublicKey key;
        try {
            key = EcPublicKey.fromSpki(PemCodec.decode(publicKeyPem, PemCodec.PUBLIC_KEY));
        } catch (CryptoInputException e) {
            throw new ProblemException(IdentityProblems.VENDOR_KEY_INVALID, e.getMessage());
        }
        if (key.curve() != EcCurve.SECP256R1) {
            throw new ProblemException(IdentityProblems.VENDOR_KEY_INVALID, "Vendor keys must be on P-256");
        }
        vendorKeys.put(tenantId, keyId, key);
        auditLog.append(new AuditEntry(clock.instant(), actor, "vendor-key.registered", tenantId, keyId,
                Map.of("keyThumbprint", key.thumbprint(), "spki", Base64.getEncoder().encodeToString(key.spki()))));
        return key;
    }
}
