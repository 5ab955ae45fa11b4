package io.simanchor.mud.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import io.simanchor.api.mud.MudUrls;

/** MUD files the tests use: the RFC 8520 §9 example and the demo models' files in mud-service/examples/. */
public final class MudFiles {

    /** The public base URL of the test configuration (the default). */
    public static final MudUrls URLS = new MudUrls("https://mud.simanchor.local");
    public static final String DEMO_MANUFACTURER = "SIM Anchor Simulated Devices";
    public static final String RFC_MANUFACTURER = "BMS Example";
    public static final String RFC_MODEL = "lightbulb2000";

    private MudFiles() {
    }

    /** A demo model's file, as the demo uploads it. */
    public static String demo(String model) {
        try {
            return Files.readString(Path.of("examples", model + ".json"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The RFC 8520 §9 example verbatim but for its {@code mud-url}, which must name where this service serves
     * it (the only change).
     */
    public static String rfcExample() {
        try (InputStream in = MudFiles.class.getResourceAsStream("/mud/rfc8520-lightbulb2000.json")) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return text.replace("\"https://lighting.example.com/lightbulb2000\"",
                    "\"" + URLS.fileUrl(RFC_MANUFACTURER, RFC_MODEL) + "\"");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
