package io.simanchor.api.mud;

import java.nio.charset.StandardCharsets;

/**
 * Where a model's MUD file and its signature live (RFC 8520 §4, §13.2). identity-service writes the file
 * URL into device certificates ({@code id-pe-mud-url}, RFC 8520 §10) and mud-service serves both URLs,
 * so both build them here from the same public base URL.
 *
 * <p>
 * The layout is {@code <base>/mud/<manufacturer>/<model>.json} and the same path ending in {@code .p7s}
 * for the detached signature; manufacturer and model are percent-encoded path segments (RFC 3986 §2.1:
 * everything but the unreserved characters), so any registered name gives one well-formed URL.
 */
public final class MudUrls {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private final String baseUrl;

    /** @param baseUrl the public https base of mud-service, e.g. {@code https://mud.example.com}; no trailing '/' */
    public MudUrls(String baseUrl) {
        String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        // RFC 8520 §3.3: the MUD URL MUST use the "https" scheme.
        if (!base.startsWith("https://") || base.length() == "https://".length()) {
            throw new IllegalArgumentException("the MUD base URL must be an https URL: " + baseUrl);
        }
        this.baseUrl = base;
    }

    /** The public base URL, without a trailing '/'. */
    public String baseUrl() {
        return baseUrl;
    }

    /** The MUD URL of a model. */
    public String fileUrl(String manufacturer, String model) {
        return modelPath(manufacturer, model) + ".json";
    }

    /** The URL of the detached CMS signature of a model's MUD file. */
    public String signatureUrl(String manufacturer, String model) {
        return modelPath(manufacturer, model) + ".p7s";
    }

    private String modelPath(String manufacturer, String model) {
        return baseUrl + "/mud/" + pathSegment(manufacturer) + "/" + pathSegment(model);
    }

    /** {@code value} as one percent-encoded path segment (RFC 3986 §2.1, §2.3). */
    public static String pathSegment(String value) {
        StringBuilder encoded = new StringBuilder(value.length());
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            boolean unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~';
            if (unreserved) {
                encoded.append(c);
            } else {
                encoded.append('%').append(HEX[(b >> 4) & 0xf]).append(HEX[b & 0xf]);
            }
        }
        return encoded.toString();
    }
}
