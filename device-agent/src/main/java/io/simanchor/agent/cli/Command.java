package io.simanchor.agent.cli;

import java.io.PrintStream;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** One command of the agent's command line. */
interface Command {

    /** Its name on the command line. */
    String name();

    /** One line for the list of commands. */
    String summary();

    /** The options and environment variables, as printed by {@code <command> --help}. */
    String help();

    /** The option names it accepts (without {@code --}). */
    Set<String> options();

    /** The environment variable holding the secret it needs, if any (secrets never come as arguments). */
    default Optional<String> secret() {
        return Optional.empty();
    }

    /**
     * Runs it.
     *
     * @param secret the value of {@link #secret()}, or empty
     * @return the exit code: 0 success, 1 the run failed
     * @throws IllegalArgumentException for bad usage (exit code 2)
     */
    int run(Options options, Optional<String> secret, Map<String, String> environment, PrintStream out)
            throws Exception;
}
