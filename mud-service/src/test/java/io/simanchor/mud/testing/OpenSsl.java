package io.simanchor.mud.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the OpenSSL command line, the verifier nobody here wrote. */
public final class OpenSsl {

    /** Exit code and combined output of one run. */
    public record Result(int exitCode, String output) {
    }

    private OpenSsl() {
    }

    /**
     * {@code openssl cms -verify} of a detached signature, exactly as RFC 8520 §13.2 verifiers run it: the
     * content beside the signature, binary, trusting {@code chainPem} (no {@code -noverify}).
     */
    public static Result verifyDetached(byte[] content, byte[] signatureDer, String chainPem) throws IOException,
            InterruptedException {
        Path dir = Files.createTempDirectory("mud-cms");
        Path file = Files.write(dir.resolve("file.json"), content);
        Path signature = Files.write(dir.resolve("file.p7s"), signatureDer);
        Path chain = Files.writeString(dir.resolve("chain.pem"), chainPem);
        return run(List.of("openssl", "cms", "-verify", "-binary", "-inform", "DER", "-content", file.toString(),
                "-in", signature.toString(), "-CAfile", chain.toString(), "-out", dir.resolve("out").toString()));
    }

    /** Runs {@code command}, waiting at most 30 s. */
    public static Result run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("timed out: " + command);
        }
        return new Result(process.exitValue(), new String(process.getInputStream().readAllBytes(),
                StandardCharsets.UTF_8));
    }
}
