package io.simanchor.attestation.domain;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

import io.simanchor.api.attestation.MeasurementV1;
import io.simanchor.support.audit.AuditEntry;
import io.simanchor.support.problem.ProblemException;

/**
 * What a policy administrator provisions: reference values per (model, version) and appraisal policies
 * per model. Everything is validated before it is stored and every change is audited.
 */
public final class PolicyAdministration {

    private final ReferenceValueStore referenceValues;
    private final AppraisalPolicies policies;
    private final Clock clock;

    public PolicyAdministration(ReferenceValueStore referenceValues, AppraisalPolicies policies, Clock clock) {
        this.referenceValues = referenceValues;
        this.policies = policies;
        this.clock = clock;
    }

    /** Stores the measurements a device of {@code hwModel} running {@code swVersion} must report. */
    public ReferenceValues provisionReferenceValues(String hwModel, String swVersion,
            List<MeasurementV1> measurements, String actor) {
        if (!Text.isValid(hwModel) || !Text.isValid(swVersion)) {
            throw new ProblemException(AttestationProblems.REFERENCE_VALUES_INVALID,
                    "hwmodel and swversion are 1 to " + Text.MAX_LENGTH + " characters");
        }
        Measurements.problem(measurements).ifPresent(problem -> {
            throw new ProblemException(AttestationProblems.REFERENCE_VALUES_INVALID, problem);
        });
        ReferenceValues values = new ReferenceValues(hwModel, swVersion, measurements);
        referenceValues.save(values, new AuditEntry(clock.instant(), actor, "reference-values.provisioned", null,
                hwModel + "/" + swVersion, Map.of("components", Integer.toString(measurements.size()))));
        return values;
    }

    /** The reference values of a model and version, or a 404 problem. */
    public ReferenceValues referenceValues(String hwModel, String swVersion) {
        return await(referenceValues.find(hwModel, swVersion))
                .orElseThrow(() -> new ProblemException(AttestationProblems.REFERENCE_VALUES_NOT_FOUND,
                        "No reference values for this model and version"));
    }

    /** Makes {@code policy} the appraisal policy of {@code hwModel}. */
    public AppraisalPolicy setPolicy(String hwModel, AppraisalPolicy policy, String actor) {
        if (!Text.isValid(hwModel)) {
            throw new ProblemException(AttestationProblems.POLICY_INVALID,
                    "hwmodel is 1 to " + Text.MAX_LENGTH + " characters");
        }
        if (policy == null) {
            // JSON null, or no body at all, which the JSON reader also hands over as null.
            throw new ProblemException(AttestationProblems.POLICY_INVALID, "the body is an appraisal policy object");
        }
        List<String> problems = policy.problems();
        if (!problems.isEmpty()) {
            throw new ProblemException(AttestationProblems.POLICY_INVALID, String.join("; ", problems));
        }
        policies.save(hwModel, policy, new AuditEntry(clock.instant(), actor, "appraisal-policy.set", null, hwModel,
                Map.of("policyId", policy.policyId())));
        return policy;
    }

    /** The policy that applies to {@code hwModel}: its own or the default. */
    public AppraisalPolicy policy(String hwModel) {
        return await(policies.forModel(hwModel));
    }

    /** Waits for a lookup: the administration API runs on worker threads, which may wait. */
    private static <T> T await(CompletionStage<T> lookup) {
        try {
            return lookup.toCompletableFuture().join();
        } catch (CompletionException e) {
            // The store's own exception (a PersistenceException answers 503), not the wrapper.
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }
}
