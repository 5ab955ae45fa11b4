package io.simanchor.attestation.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

import io.simanchor.attestation.domain.AppraisalPolicies;
import io.simanchor.attestation.domain.AppraisalPolicy;
import io.simanchor.support.audit.AuditEntry;

/** Appraisal policies in memory, {@link TestPolicies#DEFAULT} for every other model. */
public final class InMemoryPolicies implements AppraisalPolicies {

    private final Map<String, AppraisalPolicy> policies = new ConcurrentHashMap<>();
    public final List<AuditEntry> audit = new ArrayList<>();

    @Override
    public CompletionStage<AppraisalPolicy> forModel(String hwModel) {
        return CompletableFuture.completedStage(policies.getOrDefault(hwModel, TestPolicies.DEFAULT));
    }

    @Override
    public void save(String hwModel, AppraisalPolicy policy, AuditEntry entry) {
        policies.put(hwModel, policy);
        audit.add(entry);
    }
}
