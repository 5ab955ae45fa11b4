package io.simanchor.identity.domain;

/**
 * The MUD URL of each hardware model (RFC 8520 §4): a base URL with the model appended. RFC 8520 §10
 * puts it in the device certificate, so it must be fixed per model, never per instance.
 */
public final class MudUrls {

    private final String baseUrl;

    /** @param baseUrl https URL ending in '/', e.g. {@code https://mud.example.com/v1/models/} */
    public MudUrls(String baseUrl) {
        if (!baseUrl.startsWith("https://") || !baseUrl.endsWith("/")) {
            throw new IllegalArgumentException("MUD base URL must be https and end with '/': " + baseUrl);
        }
        this.baseUrl = baseUrl;
    }

    /** The MUD URL of {@code hwModel}. */
    public String forModel(String hwModel) {
        return baseUrl + hwModel;
    }
}
