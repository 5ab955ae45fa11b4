package io.simanchor.agent.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** {@code fleet-manifest}: a SIM vendor's endorsed manifest, uploaded twice. */
final class FleetManifestCommand implements Command {

    @Override
    public String name() {
        return "fleet-manifest";
    }

    @Override
    public String summary() {
        return "act as a SIM vendor: write, upload and re-upload a manifest of N endorsed SIM records";
    }

    @Override
    public String help() {
        return """
                act as a SIM vendor: register a vendor key, write a manifest of N endorsed SIM records,
                upload it, upload it again (must change nothing)
                    --records N            records in the manifest (default 1000)
                    --manifest FILE        where to write it (default fleet-manifest.jsonl)
                    --tenant ID            tenant the SIMs belong to (default default)
                    --hw-model MODEL       hardware model of the devices (default tracker-x1)
                    --json FILE            also write the figures of the run as JSON to FILE
                """ + OperatorOptions.HELP;
    }

    @Override
    public Set<String> options() {
        return OperatorOptions.with("records", "manifest", "tenant", "hw-model", "json");
    }

    @Override
    public Optional<String> secret() {
        return Optional.of(OperatorOptions.SECRET);
    }

    @Override
    public int run(Options options, Optional<String> secret, Map<String, String> environment, PrintStream out)
            throws Exception {
        FleetManifest.Settings settings = new FleetManifest.Settings(options.positive("records", 1000),
                Path.of(options.get("manifest", "fleet-manifest.jsonl")), options.get("tenant", "default"),
                OperatorOptions.operator(options, secret.orElseThrow()), options.get("hw-model", "tracker-x1"));
        options.writeJson(new FleetManifest(settings, out).run());
        return 0;
    }
}
