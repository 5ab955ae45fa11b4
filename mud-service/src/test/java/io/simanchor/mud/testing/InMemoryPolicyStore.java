package io.simanchor.mud.testing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.simanchor.api.events.MudPolicyV1;
import io.simanchor.mud.domain.PolicyStore;

/** The policy store's contract in memory, recording every batch it was given (domain tests only). */
public final class InMemoryPolicyStore implements PolicyStore {

    private record Stored(String digest, MudPolicyV1 policy) {
    }

    private final Map<String, Stored> stored = new ConcurrentHashMap<>();
    public final List<List<String>> batches = new ArrayList<>();

    @Override
    public synchronized List<MudPolicyV1> saveChanged(List<Candidate> candidates) {
        batches.add(candidates.stream().map(candidate -> candidate.device().deviceId()).toList());
        List<MudPolicyV1> changed = new ArrayList<>();
        for (Candidate candidate : candidates) {
            String id = candidate.device().deviceId();
            Stored known = stored.get(id);
            String digest = candidate.digest();
            if (known != null && known.digest().equals(digest)) {
                continue;
            }
            var policy = candidate.policy();
            MudPolicyV1 event = new MudPolicyV1(id, candidate.device().tenantId(), candidate.device().manufacturer(),
                    candidate.device().hwModel(), known == null ? 1 : known.policy().version() + 1, policy.tier(),
                    policy.basis(), policy.rules(), policy.reasons(), Instant.now());
            stored.put(id, new Stored(digest, event));
            changed.add(event);
        }
        return changed;
    }

    @Override
    public Optional<MudPolicyV1> find(String deviceId) {
        return Optional.ofNullable(stored.get(deviceId)).map(Stored::policy);
    }
}
