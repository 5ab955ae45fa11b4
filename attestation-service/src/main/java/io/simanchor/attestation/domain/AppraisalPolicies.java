package io.simanchor.attestation.domain;

import java.util.concurrent.CompletionStage;

import io.simanchor.support.audit.AuditEntry;

/** The appraisal policy per hardware model. */
public interface AppraisalPolicies {

    /**
     * The policy for {@code hwModel}: the model's own, or the default one. The stage is complete at once
     * when the policy is at hand; otherwise it completes, on another thread, once it has been read.
     */
    CompletionStage<AppraisalPolicy> forModel(String hwModel);

    /** Stores the policy of {@code hwModel}, replacing the previous one, with its audit entry. */
    void save(String hwModel, AppraisalPolicy policy, AuditEntry entry);
}
