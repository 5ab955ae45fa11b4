package io.simanchor.mud.api.rest;

import java.time.Instant;

import io.simanchor.mud.domain.MudFileVersion;

/** A stored MUD file as the admin API lists it. */
public record MudFileSummary(String manufacturer, String model, int version, String mudUrl, String signatureUrl,
        String lastUpdate, int cacheValidityHours, String etag, Instant storedAt, String storedBy) {

    static MudFileSummary of(MudFileVersion version) {
        return new MudFileSummary(version.model().manufacturer(), version.model().hwModel(), version.version(),
                version.mudUrl(), version.signatureUrl(), version.lastUpdate().toString(), version.cacheValidityHours(),
                version.etag(), version.storedAt(), version.storedBy());
    }
}
