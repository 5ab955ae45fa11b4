package io.simanchor.mud.domain;

import java.util.List;
import java.util.Optional;

import io.simanchor.api.events.MudPolicyV1;

/** Where effective policies are kept and from where they are published on {@code simanchor.mud-policies}. */
public interface PolicyStore {

    /** A derived policy for a device, to be stored if it differs from the device's stored one. */
    record Candidate(DeviceFacts device, DerivedPolicy policy) {

        /** What decides whether the stored policy changed: the policy and who it is for. */
        public String digest() {
            return policy.digestWith(device.tenantId(), device.manufacturer(), device.hwModel());
        }
    }

    /**
     * Stores every candidate whose policy differs from the device's stored policy, with the next version,
     * and queues its publication, all in one transaction. Candidates equal to what is stored change nothing,
     * also when another instance stored them first.
     *
     * @return the policies that were stored, with their versions
     */
    List<MudPolicyV1> saveChanged(List<Candidate> candidates);

    /** The stored policy of a device. */
    Optional<MudPolicyV1> find(String deviceId);
}
