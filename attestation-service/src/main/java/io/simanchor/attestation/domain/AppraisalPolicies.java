package io.simanchor.attestation.domain;

/** The appraisal policy per hardware model. */
public interface AppraisalPolicies {

    /** The policy for {@code hwModel}: the model's own, or the default one. */
    AppraisalPolicy forModel(String hwModel);
}
