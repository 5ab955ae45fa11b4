package io.simanchor.agent.cli;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The {@code --name value} options of one command, with typed getters that turn a bad value into an
 * {@link IllegalArgumentException} naming the option (exit code 2).
 */
final class Options {

    private final Map<String, String> values;

    private Options(Map<String, String> values) {
        this.values = values;
    }

    /** Parses {@code args} from index {@code from}, accepting only {@code known} option names. */
    static Options parse(String[] args, int from, Set<String> known) {
        Map<String, String> values = new HashMap<>();
        for (int i = from; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --option value, got: " + args[i]);
            }
            String name = args[i].substring(2);
            if (!known.contains(name)) {
                throw new IllegalArgumentException("unknown option: " + args[i]);
            }
            values.put(name, args[i + 1]);
        }
        return new Options(values);
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    Optional<String> get(String name) {
        return Optional.ofNullable(values.get(name));
    }

    String get(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    URI uri(String name, String fallback) {
        return url(name, get(name, fallback));
    }

    Optional<URI> uri(String name) {
        return get(name).map(value -> url(name, value));
    }

    /**
     * An absolute http(s) URL with a host and a valid port: {@link URI} itself accepts
     * {@code http://host:6647156}, and the HTTP client would only fail on it once the request starts.
     */
    private static URI url(String name, String value) {
        IllegalArgumentException bad = new IllegalArgumentException(
                "--" + name + " must be an http or https URL such as http://127.0.0.1:8084, got: " + value);
        URI url;
        try {
            url = new URI(value);
        } catch (URISyntaxException e) {
            throw bad;
        }
        boolean web = "http".equalsIgnoreCase(url.getScheme()) || "https".equalsIgnoreCase(url.getScheme());
        if (!web || url.getHost() == null || url.getPort() > 65_535) {
            throw bad;
        }
        return url;
    }

    int positive(String name, int fallback) {
        return wholeNumber(name, fallback, 1, "--" + name + " must be a positive whole number");
    }

    /** A comma-separated list of positive whole numbers, such as {@code 8,32}. */
    List<Integer> positives(String name, int fallback) {
        String value = values.get(name);
        if (value == null) {
            return List.of(fallback);
        }
        try {
            List<Integer> numbers = Arrays.stream(value.split(",", -1))
                    .map(String::trim)
                    .map(Integer::parseInt)
                    .toList();
            if (numbers.stream().anyMatch(number -> number < 1)) {
                throw new NumberFormatException();
            }
            return numbers;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be positive whole numbers separated by commas");
        }
    }

    int notNegative(String name, int fallback) {
        return wholeNumber(name, fallback, 0, "--" + name + " must be a whole number, 0 or more");
    }

    double share(String name, double fallback) {
        String value = values.get(name);
        if (value == null) {
            return fallback;
        }
        try {
            double share = Double.parseDouble(value);
            if (share < 0 || share > 1) {
                throw new NumberFormatException();
            }
            return share;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a share between 0 and 1");
        }
    }

    /** A decimal number between {@code least} and {@code most}. */
    double decimal(String name, double fallback, double least, double most) {
        String value = values.get(name);
        if (value == null) {
            return fallback;
        }
        try {
            double number = Double.parseDouble(value);
            if (!(number >= least && number <= most)) {
                throw new NumberFormatException();
            }
            return number;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a number from " + least + " to " + most);
        }
    }

    /** A duration written {@code 10m}, {@code 90s}, {@code 500ms}, {@code 2h} or ISO-8601 ({@code PT10M}). */
    Duration duration(String name, Duration fallback) {
        String value = values.get(name);
        if (value == null) {
            return fallback;
        }
        try {
            Duration duration = parseDuration(value.trim().toLowerCase(java.util.Locale.ROOT));
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException();
            }
            return duration;
        } catch (IllegalArgumentException | DateTimeParseException | ArithmeticException e) {
            throw new IllegalArgumentException("--" + name + " must be a duration such as 10m, 90s or 500ms");
        }
    }

    private static Duration parseDuration(String value) {
        if (value.startsWith("pt")) {
            return Duration.parse(value);
        }
        if (value.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
        }
        long amount = Long.parseLong(value.substring(0, value.length() - 1));
        return switch (value.charAt(value.length() - 1)) {
            case 's' -> Duration.ofSeconds(amount);
            case 'm' -> Duration.ofMinutes(amount);
            case 'h' -> Duration.ofHours(amount);
            default -> throw new IllegalArgumentException(value);
        };
    }

    /** Writes {@code figures} as JSON to the file of {@code --json}, if given. */
    void writeJson(Map<String, Object> figures) throws IOException {
        Optional<String> file = get("json");
        if (file.isPresent()) {
            Path path = Path.of(file.get()).toAbsolutePath();
            Files.createDirectories(path.getParent());
            new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(path.toFile(), figures);
        }
    }

    private int wholeNumber(String name, int fallback, int least, String problem) {
        String value = values.get(name);
        if (value == null) {
            return fallback;
        }
        try {
            int number = Integer.parseInt(value);
            if (number < least) {
                throw new NumberFormatException();
            }
            return number;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(problem);
        }
    }
}
