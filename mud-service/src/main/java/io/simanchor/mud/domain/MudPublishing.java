package io.simanchor.mud.domain;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;

import io.simanchor.api.mud.MudUrls;
import io.simanchor.support.audit.AuditEntry;
import io.simanchor.support.problem.ProblemException;

/**
 * Accepts a manufacturer's MUD file for a model: validates it (RFC 8520, RFC 8519), signs it and keeps it
 * as the model's next version. The bytes are stored and served exactly as uploaded, because they are
 * what the signature covers. Uploading the current file again changes nothing; a different file must
 * carry a later {@code last-update} (RFC 8520 §3.3), so that caches and MUD managers can tell versions
 * apart.
 */
public final class MudPublishing {

    /** The outcome of an upload: the version now current, and whether the upload created it. */
    public record Published(MudFileVersion version, boolean created) {
    }

    /** How far ahead of this service's clock a {@code last-update} may be (clock skew, time zones). */
    static final Duration MAX_FUTURE_LAST_UPDATE = Duration.ofHours(24);

    private final MudDocuments documents;
    private final MudSigner signer;
    private final MudFileStore store;
    private final MudUrls urls;
    private final BiConsumer<MudFileVersion, MudFile> onNewVersion;
    private final Clock clock;

    /** @param onNewVersion told about every version this service stores, with its validated form (the MUD manager recomputes) */
    public MudPublishing(MudDocuments documents, MudSigner signer, MudFileStore store, MudUrls urls,
            BiConsumer<MudFileVersion, MudFile> onNewVersion, Clock clock) {
        this.documents = documents;
        this.signer = signer;
        this.store = store;
        this.urls = urls;
        this.onNewVersion = onNewVersion;
        this.clock = clock;
    }

    /** Where a model's file and signature are served. */
    public MudFileValidator.Location location(ModelKey model) {
        return new MudFileValidator.Location(urls.fileUrl(model.manufacturer(), model.hwModel()),
                urls.signatureUrl(model.manufacturer(), model.hwModel()));
    }

    /**
     * Validates, signs and stores {@code content} as the MUD file of {@code model}.
     *
     * @throws MudFileRejected listing every problem of an invalid file
     * @throws ProblemException {@link MudProblems#MUD_FILE_STALE} when the file is not newer than the current one
     */
    public Published publish(ModelKey model, byte[] content, String actor) {
        requireValidNames(model);
        MudFileValidator.Location location = location(model);
        MudFile file = MudFileValidator.validate(documents.parse(content), location);
        if (file.lastUpdate().toInstant().isAfter(clock.instant().plus(MAX_FUTURE_LAST_UPDATE))) {
            // Versions must move forward, so a file dated in the far future would lock the model for good.
            throw new MudFileRejected(List.of(new Violation("/" + MudFileValidator.MUD + "/last-update",
                    "must not be more than " + MAX_FUTURE_LAST_UPDATE.toHours() + " hours in the future")));
        }
        Optional<MudFileVersion> current = store.current(model);
        if (current.isPresent() && Arrays.equals(current.get().content(), content)) {
            return new Published(current.get(), false);
        }
        if (current.isPresent() && !file.lastUpdate().isAfter(current.get().lastUpdate())) {
            throw new ProblemException(MudProblems.MUD_FILE_STALE, "last-update must be later than "
                    + current.get().lastUpdate() + ", the last-update of version " + current.get().version());
        }
        int version = current.map(known -> known.version() + 1).orElse(1);
        MudFileVersion stored = new MudFileVersion(model, version, content.clone(), signer.sign(content),
                etag(content), location.mudUrl(), location.signatureUrl(), file.lastUpdate(),
                file.cacheValidityHours(), clock.instant(), actor);
        try {
            store.add(stored, new AuditEntry(clock.instant(), actor, "mud-file.published", null,
                    model.manufacturer() + "/" + model.hwModel(), Map.of("version", String.valueOf(version), "mudUrl",
                            location.mudUrl(), "lastUpdate", file.lastUpdate().toString(), "etag", stored.etag())));
        } catch (MudFileStore.ConcurrentUpdateException e) {
            throw new ProblemException(MudProblems.MUD_FILE_STALE,
                    "another upload for this model was stored at the same time; fetch the current file and retry");
        }
        onNewVersion.accept(stored, file);
        return new Published(stored, true);
    }

    /** The current version of a model's file. */
    public MudFileVersion current(ModelKey model) {
        requireValidNames(model);
        return store.current(model)
                .orElseThrow(() -> new ProblemException(MudProblems.MUD_FILE_NOT_FOUND, "No MUD file for this model"));
    }

    /** The current version of every model's file. */
    public List<MudFileVersion> currentVersions() {
        return store.currentVersions();
    }

    /** The signer's certificate chain, signer first. */
    public List<String> signerChain() {
        return signer.chainPem();
    }

    /** A strong entity tag: the base64url SHA-256 of the content, quoted (RFC 9110 §8.8.3). */
    static String etag(byte[] content) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(content);
            return '"' + Base64.getUrlEncoder().withoutPadding().encodeToString(digest) + '"';
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }

    private static void requireValidNames(ModelKey model) {
        if (!ModelKey.validName(model.manufacturer()) || !ModelKey.validName(model.hwModel())) {
            throw new ProblemException(MudProblems.MODEL_NAME_INVALID, "Manufacturer and model must be 1 to "
                    + ModelKey.MAX_NAME_LENGTH + " characters without control characters");
        }
    }
}
