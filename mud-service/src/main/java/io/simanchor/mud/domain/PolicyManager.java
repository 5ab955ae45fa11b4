package io.simanchor.mud.domain;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The MUD manager: keeps every device's facts and every model's current MUD file, and when either changes,
 * derives the device's policy again and stores (and so publishes) it if it changed. Changes are collected
 * as they arrive and worked off in batches by {@link #publishPending()}, so a burst of events for one device
 * costs one derivation, and a burst for many devices one transaction per batch.
 *
 * <p>
 * Thread-safe: the event reader, the MUD file catalogue and the publisher each call from their own thread.
 */
public final class PolicyManager {

    private final PolicyCalculator calculator;
    private final PolicyStore store;
    private final int batchSize;
    private final Map<String, DeviceFacts> devices = new ConcurrentHashMap<>();
    private final Map<ModelKey, Set<String>> devicesByModel = new ConcurrentHashMap<>();
    private final Map<ModelKey, ModelPolicy> models = new ConcurrentHashMap<>();
    /** Devices whose own facts changed. */
    private final Set<String> pending = ConcurrentHashMap.newKeySet();
    /** Devices whose model's MUD file changed. */
    private final Set<String> modelWide = ConcurrentHashMap.newKeySet();
    private final Map<String, DeviceFacts.Attestation> early = new ConcurrentHashMap<>();

    public PolicyManager(PolicyCalculator calculator, PolicyStore store, int batchSize) {
        this.calculator = calculator;
        this.store = store;
        this.batchSize = batchSize;
    }

    /** A device's lifecycle snapshot: enrolled, state changed, key rotated. */
    public void deviceChanged(DeviceFacts facts) {
        DeviceFacts previous = devices.get(facts.deviceId());
        // An appraisal is of one key: after a key rotation the device must attest again, unless the appraisal
        // of the new key was read before the rotation (two topics, read side by side).
        DeviceFacts.Attestation attestation = previous == null ? null : previous.attestation();
        DeviceFacts.Attestation waiting = early.get(facts.deviceId());
        if (waiting != null && waiting.keyThumbprint().equals(facts.keyThumbprint())
                && (attestation == null || !attestation.keyThumbprint().equals(facts.keyThumbprint())
                        || waiting.appraisedAt().isAfter(attestation.appraisedAt()))) {
            attestation = waiting;
            early.remove(facts.deviceId());
        }
        if (attestation != null && !attestation.keyThumbprint().equals(facts.keyThumbprint())) {
            attestation = null;
        }
        devices.put(facts.deviceId(), facts.withAttestation(attestation));
        devicesByModel.computeIfAbsent(facts.model(), model -> ConcurrentHashMap.newKeySet()).add(facts.deviceId());
        pending.add(facts.deviceId());
    }

    /**
     * An appraisal of a device. Appraisals of a key the device no longer has, or older than the one known,
     * are ignored; one read before the device's lifecycle snapshot is kept until the snapshot comes.
     */
    public void appraised(String deviceId, DeviceFacts.Attestation attestation) {
        boolean[] ofCurrentKey = {false};
        devices.computeIfPresent(deviceId, (id, facts) -> {
            if (!attestation.keyThumbprint().equals(facts.keyThumbprint())) {
                return facts;
            }
            ofCurrentKey[0] = true;
            DeviceFacts.Attestation known = facts.attestation();
            if (known != null && attestation.appraisedAt().isBefore(known.appraisedAt())) {
                return facts;
            }
            pending.add(id);
            return facts.withAttestation(attestation);
        });
        if (!ofCurrentKey[0]) {
            // The two topics are read side by side, so an appraisal may be read before the enrollment or the
            // key rotation it belongs to: the newest is kept until a snapshot with its key comes.
            early.merge(deviceId, attestation,
                    (known, latest) -> latest.appraisedAt().isBefore(known.appraisedAt()) ? known : latest);
        }
    }

    /** A model's current MUD file, new or changed: every device of the model is derived again. */
    public void modelChanged(ModelKey model, ModelPolicy policy) {
        boolean[] newer = {false};
        // compute, not get-then-put: the upload thread and the catalogue refresh may race with two versions.
        models.compute(model, (key, known) -> {
            if (known != null && known.version() >= policy.version()) {
                return known;
            }
            newer[0] = true;
            return policy;
        });
        if (newer[0]) {
            modelWide.addAll(devicesByModel.getOrDefault(model, Set.of()));
        }
    }

    /** The current MUD file version the manager applies for {@code model}, or 0. */
    public int modelVersion(ModelKey model) {
        ModelPolicy known = models.get(model);
        return known == null ? 0 : known.version();
    }

    /**
     * Derives the policy of every device that changed since the last call and stores those that differ, in
     * batches. A device's own event (a revocation, an appraisal) goes before the devices a new MUD file
     * version touches: those can be a whole model's fleet, and working them off must not delay a revocation
     * by more than one batch.
     *
     * @return how many policies this call stored (and so published)
     */
    public int publishPending() {
        int published = drain(pending, Integer.MAX_VALUE);
        while (!modelWide.isEmpty()) {
            published += drain(modelWide, batchSize);
            published += drain(pending, Integer.MAX_VALUE);
        }
        return published;
    }

    /** Derives and stores up to {@code limit} devices of {@code queue}, in batches. */
    private int drain(Set<String> queue, int limit) {
        int published = 0;
        int taken = 0;
        List<PolicyStore.Candidate> batch = new ArrayList<>(batchSize);
        Iterator<String> ids = queue.iterator();
        while (ids.hasNext() && taken < limit) {
            String id = ids.next();
            ids.remove();
            taken++;
            DeviceFacts facts = devices.get(id);
            if (facts == null) {
                continue;
            }
            batch.add(new PolicyStore.Candidate(facts, derive(facts)));
            if (batch.size() == batchSize) {
                published += save(batch, queue);
                batch = new ArrayList<>(batchSize);
            }
        }
        if (!batch.isEmpty()) {
            published += save(batch, queue);
        }
        return published;
    }

    /** Whether nothing waits to be derived. */
    public boolean idle() {
        return pending.isEmpty() && modelWide.isEmpty();
    }

    /** How many devices the manager knows. */
    public int deviceCount() {
        return devices.size();
    }

    /** The policy {@code facts} lead to now. */
    public DerivedPolicy derive(DeviceFacts facts) {
        return calculator.derive(facts, Optional.ofNullable(models.get(facts.model())));
    }

    private int save(List<PolicyStore.Candidate> batch, Set<String> queue) {
        try {
            return store.saveChanged(batch).size();
        } catch (RuntimeException e) {
            // Nothing is lost: the devices are derived again at the next call.
            batch.forEach(candidate -> queue.add(candidate.device().deviceId()));
            throw e;
        }
    }
}
