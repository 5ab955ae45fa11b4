package io.simanchor.identity.domain;

import java.util.Optional;

import io.simanchor.support.crypto.EcPublicKey;

/** SIM vendors' endorsement keys, per tenant. */
public interface VendorKeyStore {

    /** Registers or replaces a vendor key. */
    void put(String tenantId, String keyId, EcPublicKey key);

    /** The vendor key {@code keyId} of the tenant. */
    Optional<EcPublicKey> find(String tenantId, String keyId);
}
