package io.simanchor.mud.domain;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.simanchor.support.audit.AuditEntry;

/** Where MUD file versions are kept. Versions are never changed or removed. */
public interface MudFileStore {

    /** The newest version of a model's file. */
    Optional<MudFileVersion> current(ModelKey model);

    /** The newest version number of every model's file. */
    Map<ModelKey, Integer> currentVersionNumbers();

    /** The newest version of every model's file. */
    List<MudFileVersion> currentVersions();

    /**
     * Stores {@code version} with its audit entry in one transaction.
     *
     * @throws ConcurrentUpdateException when another writer stored that version number first
     */
    void add(MudFileVersion version, AuditEntry audit);

    /** Another upload of the same model won the race for a version number. */
    final class ConcurrentUpdateException extends RuntimeException {

        public ConcurrentUpdateException(ModelKey model) {
            super("concurrent update of " + model, null, false, false);
        }
    }
}
