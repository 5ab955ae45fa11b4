package io.simanchor.attestation.domain;

import java.util.Optional;

/** Reference values per (hardware model, software version). */
public interface ReferenceValueStore {

    /** The reference values for a model and version, if provisioned. */
    Optional<ReferenceValues> find(String hwModel, String swVersion);
}
