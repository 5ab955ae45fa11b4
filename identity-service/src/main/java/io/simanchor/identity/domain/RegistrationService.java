package io.simanchor.identity.domain;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.simanchor.support.audit.AuditEntry;
import io.simanchor.support.crypto.CryptoInputException;
import io.simanchor.support.crypto.EcPublicKey;
import io.simanchor.support.crypto.EcdsaVerifier;
import io.simanchor.support.persistence.PersistenceException;
import io.simanchor.support.problem.ProblemException;

/**
 * Registers expected devices, one by one or from a SIM vendor's manifest. Imports are idempotent: a
 * record identical to a stored registration changes nothing, a different one with the same ICCID is
 * refused. Vendor endorsements are checked against the tenant's registered vendor keys, and a record without
 * an endorsed SIM key is refused unless its tenant explicitly allows unendorsed enrollment.
 */
public final class RegistrationService {

    /** Records verified and stored together; bounds memory for manifests of any size. */
    static final int BATCH_SIZE = 2000;
    /** Security event: a registration named an ICCID another tenant registered. */
    static final String ICCID_OF_ANOTHER_TENANT = "ICCID_OF_ANOTHER_TENANT";

    private final RegistrationStore registrations;
    private final VendorKeyStore vendorKeys;
    private final TenantStore tenants;
    private final AuditLog auditLog;
    private final SecurityAlerts alerts;
    private final Clock clock;

    public RegistrationService(RegistrationStore registrations, VendorKeyStore vendorKeys, TenantStore tenants,
            AuditLog auditLog, SecurityAlerts alerts, Clock clock) {
        this.registrations = registrations;
        this.vendorKeys = vendorKeys;
        this.tenants = tenants;
        this.auditLog = auditLog;
        this.alerts = alerts;
        this.clock = clock;
    }

    /**
     * Registers one device. Returns true when it was created, false when an identical registration
     * existed; a different registration of the same ICCID is a conflict.
     */
    public boolean register(String tenantId, ManifestRecord record, String actor) {
        requireTenant(tenantId);
        NewRegistration registration = validate(tenantId, record, new HashMap<>(),
                record.simPublicKey() == null && tenants.allowsUnendorsedEnrollment(tenantId));
        boolean inserted = registrations.insertNew(List.of(registration)).get(0);
        if (!inserted) {
            requireSame(registration);
            return false;
        }
        auditLog.append(audit(actor, tenantId, "registration.created", registration.iccid().value(), Map.of()));
        return true;
    }

    /** Imports a manifest; bad lines are reported, good ones stored. */
    public ImportReport importManifest(String tenantId, Iterator<ManifestLine> lines, String actor) {
        requireTenant(tenantId);
        boolean unendorsedAllowed = tenants.allowsUnendorsedEnrollment(tenantId);
        Map<String, Optional<EcPublicKey>> keyCache = new HashMap<>();
        Tally tally = new Tally();
        List<ManifestLine> batch = new ArrayList<>(BATCH_SIZE);
        while (lines.hasNext()) {
            batch.add(lines.next());
            if (batch.size() == BATCH_SIZE) {
                importBatch(tenantId, batch, keyCache, unendorsedAllowed, tally);
                batch.clear();
            }
        }
        importBatch(tenantId, batch, keyCache, unendorsedAllowed, tally);
        ImportReport report = tally.report();
        auditLog.append(audit(actor, tenantId, "registrations.imported", tenantId,
                Map.of("received", Integer.toString(report.received()), "imported",
                        Integer.toString(report.imported()), "unchanged", Integer.toString(report.unchanged()),
                        "rejected", Integer.toString(report.rejected()))));
        return report;
    }

    private void importBatch(String tenantId, List<ManifestLine> batch, Map<String, Optional<EcPublicKey>> keyCache,
            boolean unendorsedAllowed, Tally tally) {
        if (batch.isEmpty()) {
            return;
        }
        // Resolve the vendor keys first so the parallel verification below only reads the cache.
        batch.stream()
                .filter(line -> line.record() != null && line.record().vendorKeyId() != null)
                .map(line -> line.record().vendorKeyId())
                .distinct()
                .forEach(keyId -> keyCache.computeIfAbsent(keyId, id -> vendorKey(tenantId, id)));
        List<Validated> validated = batch.parallelStream()
                .map(line -> validateLine(tenantId, line, keyCache, unendorsedAllowed))
                .collect(Collectors.toList());
        List<Validated> good = new ArrayList<>();
        for (Validated v : validated) {
            tally.received++;
            if (v.error() != null) {
                tally.reject(v.error());
            } else {
                good.add(v);
            }
        }
        if (good.isEmpty()) {
            return;
        }
        List<Boolean> inserted = registrations.insertNew(good.stream().map(Validated::registration).toList());
        List<Validated> existing = new ArrayList<>();
        for (int i = 0; i < good.size(); i++) {
            if (inserted.get(i)) {
                tally.imported++;
            } else {
                existing.add(good.get(i));
            }
        }
        compareWithStored(existing, tally);
    }

    private void compareWithStored(List<Validated> existing, Tally tally) {
        if (existing.isEmpty()) {
            return;
        }
        Map<Iccid, Registration> stored = registrations
                .findByIccids(existing.stream().map(v -> v.registration().iccid()).toList())
                .stream()
                .collect(Collectors.toMap(Registration::iccid, Function.identity()));
        for (Validated v : existing) {
            Registration current = stored.get(v.registration().iccid());
            if (current != null && v.registration().sameAs(current)) {
                tally.unchanged++;
            } else {
                alertIfOtherTenant(v.registration(), current);
                tally.reject(new ImportReport.LineError(v.line(), IdentityProblems.REGISTRATION_CONFLICT.code(),
                        "ICCID " + v.registration().iccid() + " is already registered with different data"));
            }
        }
    }

    private Validated validateLine(String tenantId, ManifestLine line, Map<String, Optional<EcPublicKey>> keyCache,
            boolean unendorsedAllowed) {
        if (line.record() == null) {
            return Validated.error(line.number(), IdentityProblems.INVALID_FIELD.code(), line.parseError());
        }
        try {
            return new Validated(line.number(), validate(tenantId, line.record(), keyCache, unendorsedAllowed),
                    null);
        } catch (ProblemException e) {
            if (e.type() == IdentityProblems.ENDORSEMENT_INVALID) {
                alerts.raise(e.type().code(), tenantId, null, line.record().iccid(),
                        Map.of("line", Integer.toString(line.number())));
            }
            return Validated.error(line.number(), e.type().code(), e.getMessage());
        }
    }

    private NewRegistration validate(String tenantId, ManifestRecord record, Map<String, Optional<EcPublicKey>> keys,
            boolean unendorsedAllowed) {
        Iccid iccid = new Iccid(record.iccid());
        Optional<EcPublicKey> simKey = Optional.empty();
        if (record.simPublicKey() != null) {
            try {
                simKey = Optional.of(EcPublicKey.fromSpki(Base64.getDecoder().decode(record.simPublicKey())));
            } catch (IllegalArgumentException | CryptoInputException e) {
                throw new ProblemException(IdentityProblems.INVALID_FIELD,
                        "'simPublicKey' must be a base64 DER SubjectPublicKeyInfo on secp256r1 or brainpoolP256r1");
            }
        }
        NewRegistration registration = new NewRegistration(tenantId, iccid, record.imei(), record.hwModel(),
                record.manufacturer(), simKey);
        checkEndorsement(tenantId, record, keys, unendorsedAllowed);
        return registration;
    }

    /**
     * The tenant's vendor key {@code keyId}, if registered. An id the database cannot even compare (a NUL
     * character) names no key: that line is refused, not the whole manifest after some batches committed.
     */
    private Optional<EcPublicKey> vendorKey(String tenantId, String keyId) {
        try {
            return vendorKeys.find(tenantId, keyId);
        } catch (PersistenceException e) {
            if (e.refusedAValue()) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /**
     * A record names the SIM key its vendor endorsed, unless the tenant allows unendorsed enrollment; a pinned
     * SIM key needs the vendor's endorsement; an endorsement, when given, must verify.
     */
    private void checkEndorsement(String tenantId, ManifestRecord record, Map<String, Optional<EcPublicKey>> keys,
            boolean unendorsedAllowed) {
        if (record.simPublicKey() == null && !unendorsedAllowed) {
            throw new ProblemException(IdentityProblems.ENDORSEMENT_REQUIRED,
                    "Tenant '" + tenantId + "' enrolls only vendor-endorsed SIM keys: the record needs "
                            + "'simPublicKey', 'vendorKeyId' and 'endorsement'");
        }
        boolean endorsed = record.endorsement() != null || record.vendorKeyId() != null;
        if (!endorsed && record.simPublicKey() == null) {
            return;
        }
        if (record.endorsement() == null || record.vendorKeyId() == null) {
            throw new ProblemException(IdentityProblems.ENDORSEMENT_INVALID,
                    "A record with a SIM key needs 'vendorKeyId' and 'endorsement'");
        }
        Optional<EcPublicKey> vendorKey = keys.computeIfAbsent(record.vendorKeyId(), id -> vendorKey(tenantId, id));
        if (vendorKey.isEmpty()) {
            throw new ProblemException(IdentityProblems.ENDORSEMENT_INVALID,
                    "Vendor key '" + record.vendorKeyId() + "' is not registered for this tenant");
        }
        byte[] signature;
        try {
            signature = Base64.getDecoder().decode(record.endorsement());
        } catch (IllegalArgumentException e) {
            throw new ProblemException(IdentityProblems.ENDORSEMENT_INVALID, "'endorsement' is not base64");
        }
        // validate() has already refused every field that could hold a line break, which SimEndorsement rejects.
        if (!EcdsaVerifier.verifyDer(vendorKey.get(), record.endorsedBytes(), signature)) {
            throw new ProblemException(IdentityProblems.ENDORSEMENT_INVALID,
                    "The endorsement does not verify with vendor key '" + record.vendorKeyId() + "'");
        }
    }

    private void requireSame(NewRegistration registration) {
        Registration stored = registrations.findByIccid(registration.iccid()).orElseThrow();
        if (!registration.sameAs(stored)) {
            alertIfOtherTenant(registration, stored);
            throw new ProblemException(IdentityProblems.REGISTRATION_CONFLICT,
                    "ICCID " + registration.iccid() + " is already registered with different data");
        }
    }

    /**
     * ICCIDs are unique across tenants, so a conflict with another tenant's registration tells the operator that
     * the SIM is someone else's, and may be an attempt to claim it before its tenant imports it: raised, with
     * both tenants, for the platform's security staff (issue 28, point 7).
     */
    private void alertIfOtherTenant(NewRegistration registration, Registration stored) {
        if (stored != null && !stored.tenantId().equals(registration.tenantId())) {
            alerts.raise(ICCID_OF_ANOTHER_TENANT, registration.tenantId(), null, registration.iccid().value(),
                    Map.of("registeredTenant", stored.tenantId()));
        }
    }

    private void requireTenant(String tenantId) {
        if (tenantId == null || !tenants.exists(tenantId)) {
            throw new ProblemException(IdentityProblems.TENANT_NOT_FOUND, "No such tenant");
        }
    }

    private AuditEntry audit(String actor, String tenantId, String action, String subject,
            Map<String, String> details) {
        return new AuditEntry(clock.instant(), actor, action, tenantId, subject, details);
    }

    private record Validated(int line, NewRegistration registration, ImportReport.LineError error) {

        static Validated error(int line, String code, String detail) {
            return new Validated(line, null, new ImportReport.LineError(line, code, detail));
        }
    }

    /** Counts of one import. */
    private static final class Tally {

        int received;
        int imported;
        int unchanged;
        int rejected;
        final List<ImportReport.LineError> errors = new ArrayList<>();

        void reject(ImportReport.LineError error) {
            rejected++;
            if (errors.size() < ImportReport.MAX_ERRORS) {
                errors.add(error);
            }
        }

        ImportReport report() {
            return new ImportReport(received, imported, unchanged, rejected, List.copyOf(errors));
        }
    }
}
