package io.simanchor.mud.domain;

import java.util.ArrayList;
import java.util.List;

/**
 * Keeps the MUD manager's MUD files current: a version this instance stores is applied at once, one stored
 * by another instance when {@link #refresh()} finds it.
 */
public final class MudCatalog {

    private final MudFileStore store;
    private final MudDocuments documents;
    private final PolicyManager manager;

    public MudCatalog(MudFileStore store, MudDocuments documents, PolicyManager manager) {
        this.store = store;
        this.documents = documents;
        this.manager = manager;
    }

    /**
     * Applies every model's current file that the manager does not have yet.
     *
     * @return the models whose stored file could not be applied (one bad file must not stop the others)
     */
    public List<ModelKey> refresh() {
        List<ModelKey> failed = new ArrayList<>();
        for (MudFileVersion version : store.currentVersions()) {
            if (version.version() > manager.modelVersion(version.model())) {
                try {
                    apply(version);
                } catch (MudFileRejected e) {
                    failed.add(version.model());
                }
            }
        }
        return failed;
    }

    /** Applies one stored version. */
    public void apply(MudFileVersion version) {
        // Validated when it was stored; read again into the manager's form at the URLs it was stored for.
        MudFile file = MudFileValidator.validate(documents.parse(version.content()),
                new MudFileValidator.Location(version.mudUrl(), version.signatureUrl()));
        manager.modelChanged(version.model(), new ModelPolicy(version.version(), version.mudUrl(), file));
    }
}
