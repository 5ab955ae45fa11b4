package io.simanchor.mud.domain;

import java.time.Instant;
import java.time.OffsetDateTime;

/**
 * One stored version of a model's MUD file: the bytes exactly as uploaded (what is signed and served), the
 * detached CMS signature over them, and what serving needs.
 *
 * @param version 1 for a model's first file, then one more per accepted change
 * @param etag strong entity tag of {@code content} (RFC 9110 §8.8.3), quotes included
 * @param cacheValidityHours the file's {@code cache-validity}, which sets {@code Cache-Control: max-age}
 */
public record MudFileVersion(ModelKey model, int version, byte[] content, byte[] signature, String etag,
        String mudUrl, String signatureUrl, OffsetDateTime lastUpdate, int cacheValidityHours, Instant storedAt,
        String storedBy) {
}
