package io.simanchor.attestation.domain;

import java.util.Optional;
import java.util.concurrent.CompletionStage;

import io.simanchor.support.audit.AuditEntry;

/** Reference values per (hardware model, software version). */
public interface ReferenceValueStore {

    /**
     * The reference values for a model and version, if provisioned. Like
     * {@link AppraisalPolicies#forModel}, complete at once when at hand, else once read. When appraising,
     * {@code hwModel} is the device's registered model and {@code swVersion} whatever the device reported, so
     * a version nobody provisioned must not cost a read of its own.
     */
    CompletionStage<Optional<ReferenceValues>> find(String hwModel, String swVersion);

    /** Stores {@code values}, replacing those of the same model and version, with its audit entry. */
    void save(ReferenceValues values, AuditEntry entry);
}
