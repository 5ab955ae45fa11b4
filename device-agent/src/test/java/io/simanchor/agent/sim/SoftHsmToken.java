package io.simanchor.agent.sim;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.Provider;
import java.security.Security;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Real SoftHSM2 tokens for the PKCS#11 tests, under {@code target/softhsm} (the directory of
 * {@code SOFTHSM2_CONF}, which the build passes to the test JVM). Made once per JVM, before SoftHSM2 is
 * loaded, because the library reads its configuration and token directory when it initialises: every
 * token a test needs is created here, each with a P-256 key and a certificate under the alias
 * {@link #KEY_ALIAS} (SunPKCS11's key store lists only keys that have one).
 */
public final class SoftHsmToken {

    /** A token for ordinary use. */
    public static final String TOKEN = "sim-test";
    /** A token a test deletes mid-run, as if the SIM were pulled out. */
    public static final String REMOVABLE_TOKEN = "sim-removable";
    /** A token whose key a test rotates. */
    public static final String ROTATION_TOKEN = "sim-rotation";
    /** The key's alias in every token. */
    public static final String KEY_ALIAS = "iot-safe-key";
    /** The user PIN of both tokens. */
    public static final String PIN = "246810";
    private static final String SO_PIN = "13579111";
    private static final List<Path> LIBRARY_CANDIDATES = List.of(Path.of("/usr/lib/softhsm/libsofthsm2.so"),
            Path.of("/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so"),
            Path.of("/usr/local/lib/softhsm/libsofthsm2.so"));

    private static Path library;

    private SoftHsmToken() {
    }

    /** The SoftHSM2 module, with the tokens made. */
    public static synchronized Path library() {
        if (library == null) {
            library = prepare();
        }
        return library;
    }

    /** A configuration naming {@code token} by label with the right PIN in an environment variable. */
    public static Pkcs11Config config(String token) {
        return config(token, PIN);
    }

    /** A configuration naming {@code token} by label, with {@code pin}. */
    public static Pkcs11Config config(String token, String pin) {
        return new Pkcs11Config(library(), OptionalLong.empty(), Optional.of(token), KEY_ALIAS,
                PinSource.environment("SIM_PIN", Map.of("SIM_PIN", pin)));
    }

    /** Deletes {@code token}, as if the SIM had been removed. */
    public static void remove(String token) {
        softhsm("--delete-token", "--token", token);
    }

    private static Path prepare() {
        String conf = System.getenv("SOFTHSM2_CONF");
        if (conf == null) {
            throw new IllegalStateException(
                    "SOFTHSM2_CONF is not set: run the tests through Maven (device-agent/pom.xml)");
        }
        Path module = LIBRARY_CANDIDATES.stream()
                .filter(Files::isReadable)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException(
                        "SoftHSM2 is not installed (apt-get install softhsm2; ./platform test does it)"));
        try {
            Path directory = Path.of(conf).getParent();
            Path tokens = directory.resolve("tokens");
            deleteRecursively(directory);
            Files.createDirectories(tokens);
            Files.writeString(Path.of(conf),
                    "directories.tokendir = " + tokens + "\nobjectstore.backend = file\nlog.level = ERROR\n");
            for (String token : List.of(TOKEN, REMOVABLE_TOKEN, ROTATION_TOKEN)) {
                softhsm("--init-token", "--free", "--label", token, "--pin", PIN, "--so-pin", SO_PIN);
            }
            for (String token : List.of(TOKEN, REMOVABLE_TOKEN, ROTATION_TOKEN)) {
                addKey(module, token);
            }
            return module;
        } catch (Exception e) {
            throw new IllegalStateException("cannot prepare the SoftHSM2 tokens: " + e.getMessage(), e);
        }
    }

    /** A P-256 key generated in the token, with a self-signed certificate under the same CKA_ID. */
    private static void addKey(Path module, String token) throws Exception {
        long slot = Pkcs11Slots.byLabel(module, token);
        Provider provider = Security.getProvider("SunPKCS11")
                .configure("--name=softhsm-setup\nlibrary=" + module + "\nslot=" + slot + "\n");
        KeyStore keyStore = KeyStore.getInstance("PKCS11", provider);
        keyStore.load(null, PIN.toCharArray());
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", provider);
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair keyPair = generator.generateKeyPair();
        Instant now = Instant.now();
        X500Name subject = new X500Name("CN=" + token);
        X509Certificate certificate = new JcaX509CertificateConverter()
                .getCertificate(new JcaX509v3CertificateBuilder(subject, BigInteger.ONE, Date.from(now),
                        Date.from(now.plus(Duration.ofDays(1))), subject, keyPair.getPublic())
                        .build(new JcaContentSignerBuilder("SHA256withECDSA").setProvider(provider)
                                .build(keyPair.getPrivate())));
        keyStore.setKeyEntry(KEY_ALIAS, keyPair.getPrivate(), null, new Certificate[]{certificate});
    }

    private static void softhsm(String... arguments) {
        List<String> command = new java.util.ArrayList<>(List.of("softhsm2-util"));
        command.addAll(List.of(arguments));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("softhsm2-util " + arguments[0] + " failed: " + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException("softhsm2-util is not installed (apt-get install softhsm2)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (var paths = Files.walk(directory)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
