package io.simanchor.attestation.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

import io.simanchor.attestation.domain.ReferenceValueStore;
import io.simanchor.attestation.domain.ReferenceValues;
import io.simanchor.support.audit.AuditEntry;

/** Reference values in memory, for domain tests; records the audit entries it was given. */
public final class InMemoryReferenceValues implements ReferenceValueStore {

    private final Map<String, ReferenceValues> values = new ConcurrentHashMap<>();
    public final List<AuditEntry> audit = new ArrayList<>();

    @Override
    public CompletionStage<Optional<ReferenceValues>> find(String hwModel, String swVersion) {
        return CompletableFuture.completedStage(Optional.ofNullable(values.get(hwModel + "/" + swVersion)));
    }

    @Override
    public void save(ReferenceValues referenceValues, AuditEntry entry) {
        values.put(referenceValues.hwModel() + "/" + referenceValues.swVersion(), referenceValues);
        audit.add(entry);
    }
}
