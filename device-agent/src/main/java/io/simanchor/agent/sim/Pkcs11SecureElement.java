package io.simanchor.agent.sim;

import java.math.BigInteger;
import java.nio.file.Files;
import java.security.AuthProvider;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Security;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The SIM's key through its PKCS#11 library and Java's SunPKCS11 provider: the path a vendor's IoT SAFE
 * PKCS#11 module takes in the field (SoftHSM2 in tests).
 * <p>
 * The session, the login and the key handle are opened once and kept: the study measured ≈ 201 ms for
 * C_OpenSession + C_Login + C_FindObjects on top of a 476 ms signature. A lost session or a removed token
 * drops them and the next operation opens them again. A wrong PIN closes the element for good: retrying
 * would count down the SIM's PIN tries until it locks.
 * <p>
 * PKCS#11 calls block, so they run on this element's own thread, one at a time.
 */
public final class Pkcs11SecureElement implements SecureElement {

    private final Pkcs11Config config;
    private final ExecutorService channel;
    private volatile ECPublicKey publicKey;
    private volatile Thread channelThread;
    private final AtomicBoolean closed = new AtomicBoolean();
    // The fields below are used on the channel thread only.
    private Session session;
    private SecureElementException fatal;
    private volatile List<X509Certificate> chain;

    /** What an open session holds: the provider instance (logged in) and the key handle. */
    private record Session(Provider provider, KeyStore keyStore, PrivateKey key) {
    }

    private Pkcs11SecureElement(Pkcs11Config config, Session session, List<X509Certificate> chain) {
        this.config = config;
        this.session = session;
        this.chain = chain;
        this.publicKey = (ECPublicKey) chain.get(0).getPublicKey();
        this.channel = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "pkcs11-" + config.keyAlias());
            thread.setDaemon(true);
            channelThread = thread;
            return thread;
        });
    }

    /**
     * Opens a session, logs in and finds the key now (pre-authentication: the device's first signature
     * then costs only the signature). Fails with {@link SecureElementException}: library missing, token
     * not found, wrong PIN, no such key.
     */
    public static Pkcs11SecureElement open(Pkcs11Config config) {
        Session session = openSession(config);
        return new Pkcs11SecureElement(config, session, chainOf(session, config));
    }

    @Override
    public CompletionStage<Signed> sign(byte[] message) {
        return onChannel(() -> {
            boolean opening = session == null;
            if (opening) {
                session = reopenSession();
            }
            try {
                Signature signature = Signature.getInstance("SHA256withECDSA", session.provider());
                signature.initSign(session.key());
                signature.update(message);
                return new Signed(signature.sign(), opening);
            } catch (GeneralSecurityException | RuntimeException e) {
                throw failure("signing failed", e);
            }
        });
    }

    @Override
    public ECPublicKey publicKey() {
        return publicKey;
    }

    @Override
    public Optional<List<X509Certificate>> certificateChain() {
        return Optional.of(chain);
    }

    @Override
    public CompletionStage<Void> storeCertificateChain(List<X509Certificate> newChain) {
        CertificateChains.requireCertifies(newChain, publicKey);
        return onChannel(() -> {
            if (session == null) {
                session = reopenSession();
            }
            try {
                // Rewrites the certificate object with the key's CKA_ID; the key itself stays in the token.
                session.keyStore()
                        .setKeyEntry(config.keyAlias(), session.key(), null,
                                newChain.toArray(new Certificate[0]));
                chain = List.copyOf(newChain);
                return null;
            } catch (GeneralSecurityException | RuntimeException e) {
                throw failure("storing the certificate chain failed", e);
            }
        });
    }

    /**
     * Generates the new key in the token (C_GenerateKeyPair through SunPKCS11) and keeps it under
     * {@code <alias>-next} with a self-signed placeholder certificate, because SunPKCS11's key store only
     * lists keys that have one. A key left there by an interrupted rotation is reused, not replaced: the
     * platform may have certified it already.
     */
    @Override
    public CompletionStage<NextKey> generateNextKey() {
        return onChannel(() -> {
            if (session == null) {
                session = reopenSession();
            }
            String nextAlias = config.keyAlias() + "-next";
            try {
                KeyStore keyStore = session.keyStore();
                if (keyStore.getKey(nextAlias, null) instanceof PrivateKey pending) {
                    // A rotation was interrupted after the key was made: the platform may already have
                    // certified it, so it is reused, never destroyed.
                    return new Pkcs11NextKey(
                            (ECPublicKey) keyStore.getCertificate(nextAlias).getPublicKey(), pending);
                }
                KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", session.provider());
                generator.initialize(new ECGenParameterSpec("secp256r1"));
                KeyPair pair = generator.generateKeyPair();
                keyStore.setKeyEntry(nextAlias, pair.getPrivate(), null,
                        new Certificate[]{placeholderCertificate(pair, session.provider())});
                if (!(keyStore.getKey(nextAlias, null) instanceof PrivateKey stored)) {
                    throw new SecureElementException(SecureElementException.Reason.FAILED,
                            "the new key was not stored in the token");
                }
                return new Pkcs11NextKey((ECPublicKey) pair.getPublic(), stored);
            } catch (GeneralSecurityException | RuntimeException e) {
                throw failure("generating the next key failed", e);
            }
        });
    }

    /** The key of a rotation, in the token under {@code <alias>-next} until committed. */
    private final class Pkcs11NextKey implements NextKey {

        private final ECPublicKey nextPublicKey;
        private final PrivateKey nextKey;

        Pkcs11NextKey(ECPublicKey nextPublicKey, PrivateKey nextKey) {
            this.nextPublicKey = nextPublicKey;
            this.nextKey = nextKey;
        }

        @Override
        public ECPublicKey publicKey() {
            return nextPublicKey;
        }

        @Override
        public CompletionStage<byte[]> sign(byte[] message) {
            return onChannel(() -> {
                try {
                    Signature signature = Signature.getInstance("SHA256withECDSA", session.provider());
                    signature.initSign(nextKey);
                    signature.update(message);
                    return signature.sign();
                } catch (GeneralSecurityException | RuntimeException e) {
                    throw failure("signing with the next key failed", e);
                }
            });
        }

        /**
         * Files the old key under {@code <alias>-previous}, the new one under the configured alias with its
         * chain, and only then destroys the old key: an interruption at any step leaves both keys in the
         * token, under labels an operator can find.
         */
        @Override
        public CompletionStage<Void> commit(List<X509Certificate> newChain) {
            CertificateChains.requireCertifies(newChain, nextPublicKey);
            return onChannel(() -> {
                try {
                    KeyStore keyStore = session.keyStore();
                    String previousAlias = config.keyAlias() + "-previous";
                    keyStore.setKeyEntry(previousAlias, session.key(), null,
                            keyStore.getCertificateChain(config.keyAlias()));
                    keyStore.setKeyEntry(config.keyAlias(), nextKey, null, newChain.toArray(new Certificate[0]));
                    keyStore.deleteEntry(previousAlias);
                    if (!(keyStore.getKey(config.keyAlias(), null) instanceof PrivateKey current)) {
                        throw new SecureElementException(SecureElementException.Reason.KEY_NOT_FOUND,
                                "the new key is not under '" + config.keyAlias() + "' after the rotation");
                    }
                    session = new Session(session.provider(), keyStore, current);
                    publicKey = nextPublicKey;
                    chain = List.copyOf(newChain);
                    return null;
                } catch (GeneralSecurityException | RuntimeException e) {
                    throw failure("committing the next key failed", e);
                }
            });
        }
    }

    /** A self-signed certificate for a key that has none yet, signed in the token. */
    private static X509Certificate placeholderCertificate(KeyPair pair, Provider provider)
            throws GeneralSecurityException {
        Instant now = Instant.now();
        X500Name subject = new X500Name("CN=simanchor pending key");
        try {
            return new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(subject,
                    BigInteger.valueOf(now.toEpochMilli()), Date.from(now), Date.from(now.plus(Duration.ofDays(1))),
                    subject, pair.getPublic())
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").setProvider(provider)
                            .build(pair.getPrivate())));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException("cannot sign the placeholder certificate", e);
        }
    }

    @Override
    public String kind() {
        return "pkcs11";
    }

    /**
     * Logs out and stops the element's thread. PKCS#11 logins belong to the token and the application
     * (v2.40 §5.6): another element of this process on the same token is logged out too, and opens its
     * session again on its next operation.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        Runnable closing = () -> {
            fatal = new SecureElementException(SecureElementException.Reason.CLOSED, "the PKCS#11 session is closed");
            dropSession();
        };
        if (Thread.currentThread() == channelThread) {
            // Closed from a continuation of this element's own operation: waiting for the channel would
            // wait for ourselves.
            closing.run();
        } else {
            CompletableFuture.runAsync(closing, channel).join();
        }
        channel.shutdown();
    }

    private <T> CompletionStage<T> onChannel(Supplier<T> operation) {
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            channel.execute(() -> {
                try {
                    if (fatal != null) {
                        throw fatal;
                    }
                    result.complete(operation.get());
                } catch (SecureElementException e) {
                    result.completeExceptionally(e);
                } catch (RuntimeException e) {
                    result.completeExceptionally(failure("PKCS#11 operation failed", e));
                } catch (Throwable e) {
                    // An Error (a crash in the native library's wrapper, say) must still end the operation,
                    // or the SIM queue behind it would wait for ever.
                    result.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(
                    new SecureElementException(SecureElementException.Reason.CLOSED, "the PKCS#11 session is closed"));
        }
        return result;
    }

    /** Maps a failure, dropping the session when it is lost and closing the element on a PIN problem. */
    private SecureElementException failure(String what, Throwable e) {
        SecureElementException error = e instanceof SecureElementException known
                ? known
                : new SecureElementException(Pkcs11Errors.reasonOf(e), what + ": " + e.getMessage(), e);
        switch (error.reason()) {
            case SESSION_HANDLE_INVALID, DEVICE_REMOVED -> dropSession();
            case PIN_INCORRECT, PIN_LOCKED, PIN_UNAVAILABLE -> fatal = error;
            default -> {
                // the session stays usable
            }
        }
        return error;
    }

    private void dropSession() {
        if (session != null) {
            logout(session.provider());
        }
        session = null;
    }

    private static void logout(Provider provider) {
        if (provider instanceof AuthProvider auth) {
            try {
                auth.logout();
            } catch (Exception ignored) {
                // the session is being abandoned; the token may be gone already
            }
        }
    }

    /**
     * A new session after the first one was lost. A token that cannot be found any more was removed; a PIN
     * refused now closes the element for good like any PIN failure (never a second login with it).
     */
    private Session reopenSession() {
        try {
            return openSession(config);
        } catch (SecureElementException e) {
            if (e.reason() == SecureElementException.Reason.TOKEN_NOT_FOUND) {
                throw failure("reopening the session failed", new SecureElementException(
                        SecureElementException.Reason.DEVICE_REMOVED,
                        "the token is no longer present: " + e.getMessage(), e));
            }
            throw failure("reopening the session failed", e);
        }
    }

    private static Session openSession(Pkcs11Config config) {
        if (!Files.isReadable(config.library())) {
            throw new SecureElementException(SecureElementException.Reason.LIBRARY_UNAVAILABLE,
                    "PKCS#11 library not found or not readable: " + config.library());
        }
        String slot = config.slot().isPresent()
                ? "slot=" + config.slot().getAsLong()
                : config.tokenLabel()
                        .map(label -> "slot=" + Pkcs11Slots.byLabel(config.library(), label))
                        .orElse("slotListIndex=0");
        Provider provider;
        try {
            // SunPKCS11 takes its configuration inline when it starts with "--" (JDK PKCS#11 guide §2.2).
            provider = Security.getProvider("SunPKCS11")
                    .configure("--name=simanchor-sim\nlibrary=" + config.library() + "\n" + slot + "\n");
        } catch (RuntimeException e) {
            SecureElementException.Reason reason = Pkcs11Errors.reasonOf(e);
            throw new SecureElementException(
                    reason == SecureElementException.Reason.FAILED
                            ? SecureElementException.Reason.LIBRARY_UNAVAILABLE
                            : reason,
                    "cannot use PKCS#11 library " + config.library() + " (" + slot + "): " + rootMessage(e), e);
        }
        char[] pin = config.pin().pin();
        try {
            KeyStore keyStore = KeyStore.getInstance("PKCS11", provider);
            keyStore.load(null, pin);
            if (!(keyStore.getKey(config.keyAlias(), null) instanceof PrivateKey key)) {
                throw new SecureElementException(SecureElementException.Reason.KEY_NOT_FOUND,
                        "no private key with a certificate under alias '" + config.keyAlias() + "' in the token");
            }
            return new Session(provider, keyStore, key);
        } catch (GeneralSecurityException | java.io.IOException | RuntimeException e) {
            // Logins are per token and application (PKCS#11 v2.40 §5.6): a half-opened session must not
            // leave the token logged in.
            logout(provider);
            if (e instanceof SecureElementException known) {
                throw known;
            }
            SecureElementException.Reason reason = Pkcs11Errors.reasonOf(e);
            String message = switch (reason) {
                case PIN_INCORRECT -> "the token refused the PIN from " + config.pin().describe()
                        + "; not trying again (the SIM locks after a few wrong PINs)";
                case PIN_LOCKED -> "the token's PIN is locked; the SIM needs its PUK";
                default -> "cannot log in to the token: " + rootMessage(e);
            };
            throw new SecureElementException(reason, message, e);
        } finally {
            Arrays.fill(pin, '\0');
        }
    }

    private static List<X509Certificate> chainOf(Session session, Pkcs11Config config) {
        try {
            Certificate[] certificates = session.keyStore().getCertificateChain(config.keyAlias());
            List<X509Certificate> chain = new ArrayList<>();
            for (Certificate certificate : certificates) {
                chain.add((X509Certificate) certificate);
            }
            return List.copyOf(chain);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new SecureElementException(SecureElementException.Reason.KEY_NOT_FOUND,
                    "no certificate for key '" + config.keyAlias() + "'", e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage() != null ? root.getMessage() : root.toString();
    }
}
