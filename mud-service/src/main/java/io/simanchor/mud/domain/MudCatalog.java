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
        // Only version numbers every round; a file's content (up to 1 MiB) is read when it is new here.
        store.currentVersionNumbers().forEach((model, version) -> {
            if (version > manager.modelVersion(model)) {
                try {
                    store.current(model).ifPresent(this::apply);
                } catch (MudFileRejected e) {
                    failed.add(model);
                }
            }
        });
        return failed;
    }

    /** Applies one version stored by another instance (or before a restart). */
    void apply(MudFileVersion version) {
        // Validated when it was stored; read again into the manager's form at the URLs it was stored for.
        apply(version, MudFileValidator.validate(documents.parse(version.content()),
                new MudFileValidator.Location(version.mudUrl(), version.signatureUrl())));
    }

    /** Applies a version this instance has just validated and stored. */
    public void apply(MudFileVersion version, MudFile file) {
        manager.modelChanged(version.model(), new ModelPolicy(version.version(), version.mudUrl(), file));
    }
}
