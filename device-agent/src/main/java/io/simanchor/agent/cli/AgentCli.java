package io.simanchor.agent.cli;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.simanchor.agent.sim.SecureElementException;

/**
 * Command line of the device agent: {@code device-agent <command> [--option value ...]}, {@code
 * <command> --help} for a command's options. Secrets (the SIM PIN, the operator's client secret) come from
 * the environment or a file, never from arguments, which other users of the machine can read in the
 * process list.
 * <p>
 * Exit codes: 0 success, 1 the run failed (some devices or records did not make it, a service refused, the
 * SIM failed), 2 bad usage or configuration (including a PKCS#11 library, token, key or PIN that cannot be
 * used).
 */
public final class AgentCli {

    private static final List<Command> COMMANDS = List.of(new DeviceCommands.Enroll(), new DeviceCommands.RotateKey(),
            new DeviceCommands.Attest(),
            new DeviceCommands.Token(), new DeviceCommands.Run(), new FleetCommand(), new SimLatencyCommand(),
            new FleetEnrollCommand(), new FleetManifestCommand(), new KeycloakTokensCommand());

    private AgentCli() {
    }

    public static void main(String[] args) throws Exception {
        System.exit(run(args, System.out, System.err, System.getenv()));
    }

    static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env) throws Exception {
        if (args.length == 0 || args[0].equals("help") || args[0].equals("--help")) {
            out.print(usage());
            return args.length == 0 ? 2 : 0;
        }
        Command command = commands().get(args[0]);
        if (command == null) {
            err.println("unknown command: " + args[0]);
            err.print(usage());
            return 2;
        }
        if (args.length == 2 && args[1].equals("--help")) {
            out.print(help(command));
            return 0;
        }
        Options options;
        try {
            options = Options.parse(args, 1, command.options());
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.print(help(command));
            return 2;
        }
        Optional<String> secret = command.secret().map(env::get).filter(value -> !value.isBlank());
        if (command.secret().isPresent() && secret.isEmpty()) {
            err.println(command.secret().get() + " is not set");
            return 2;
        }
        try {
            return command.run(options, secret, env, out);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            return 2;
        } catch (Exception e) {
            Throwable cause = Await.causeOf(e);
            if (cause instanceof SecureElementException sim && !sim.reason().retryable()) {
                // The library, the token, the key or the PIN: configuration, not a passing failure.
                err.println("secure element: " + sim.getMessage());
                return 2;
            }
            err.println("failed: " + (cause.getMessage() != null ? cause.getMessage() : cause.toString()));
            return 1;
        }
    }

    private static Map<String, Command> commands() {
        Map<String, Command> byName = new LinkedHashMap<>();
        COMMANDS.forEach(command -> byName.put(command.name(), command));
        return byName;
    }

    private static String usage() {
        StringBuilder usage = new StringBuilder("usage: java -jar device-agent.jar <command> [options]\n\ncommands:\n");
        COMMANDS.forEach(command -> usage.append(String.format("  %-16s %s%n", command.name(), command.summary())));
        usage.append("\n`<command> --help` lists a command's options.\n");
        usage.append("exit codes: 0 success, 1 the run failed, 2 bad usage or configuration\n");
        return usage.toString();
    }

    private static String help(Command command) {
        return "usage: java -jar device-agent.jar " + command.name() + " [options]\n\n" + command.help()
                + "\nexit codes: 0 success, 1 the run failed, 2 bad usage or configuration\n";
    }
}
