package io.simanchor.agent.sim;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where the SIM's user PIN comes from: an environment variable or a file (a Kubernetes Secret mounted as a
 * file, say). Never a command-line argument, which every user of the machine can read in the process
 * list. The PIN itself never appears in a message.
 */
public interface PinSource {

    /** The PIN; fails with {@link SecureElementException} ({@code PIN_UNAVAILABLE}) when there is none. */
    char[] pin();

    /** Where the PIN comes from, for messages. */
    String describe();

    /** The PIN in environment variable {@code name}. */
    static PinSource environment(String name, Map<String, String> environment) {
        return new PinSource() {

            @Override
            public char[] pin() {
                String value = environment.get(name);
                if (value == null || value.isEmpty()) {
                    throw new SecureElementException(SecureElementException.Reason.PIN_UNAVAILABLE,
                            "environment variable " + name + " holds no PIN");
                }
                return value.toCharArray();
            }

            @Override
            public String describe() {
                return "environment variable " + name;
            }
        };
    }

    /** The PIN in {@code file} (its first line). */
    static PinSource file(Path file) {
        return new PinSource() {

            @Override
            public char[] pin() {
                try {
                    String content = Files.readString(file, StandardCharsets.UTF_8);
                    String firstLine = content.lines().findFirst().orElse("").strip();
                    if (firstLine.isEmpty()) {
                        throw new SecureElementException(SecureElementException.Reason.PIN_UNAVAILABLE,
                                "PIN file " + file + " is empty");
                    }
                    return firstLine.toCharArray();
                } catch (IOException e) {
                    throw new SecureElementException(SecureElementException.Reason.PIN_UNAVAILABLE,
                            "PIN file " + file + " cannot be read", e);
                }
            }

            @Override
            public String describe() {
                return "file " + file;
            }
        };
    }
}
