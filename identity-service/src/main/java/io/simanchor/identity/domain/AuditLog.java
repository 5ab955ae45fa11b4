package io.simanchor.identity.domain;

import io.simanchor.support.audit.AuditEntry;

/** The append-only audit log; device changes write theirs atomically through {@link DeviceStore}. */
public interface AuditLog {

    /** Appends an entry. */
    void append(AuditEntry entry);
}
