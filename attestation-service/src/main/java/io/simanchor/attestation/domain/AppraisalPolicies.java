package io.simanchor.attestation.domain;

import io.simanchor.support.audit.AuditEntry;

/** The appraisal policy per hardware model. */
public interface AppraisalPolicies {

    /** The policy for {@code hwModel}: the model's own, or the default one. */
    AppraisalPolicy forModel(String hwModel);

    /** Stores the policy of {@code hwModel}, replacing the previous one, with its audit entry. */
    void save(String hwModel, AppraisalPolicy policy, AuditEntry entry);
}
