package io.simanchor.support.crypto;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;

import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;
import org.bouncycastle.util.io.pem.PemWriter;

import io.simanchor.support.crypto.CryptoInputException.Reason;

/**
 * RFC 7468 textual encoding on Bouncy Castle's PEM reader and writer, held to one block with the
 * expected label and nothing around it but white space.
 */
public final class PemCodec {

    /** Label of a PKCS#10 request (RFC 7468 §7). */
    public static final String CERTIFICATE_REQUEST = "CERTIFICATE REQUEST";
    /** Label of an X.509 certificate (RFC 7468 §5). */
    public static final String CERTIFICATE = "CERTIFICATE";
    /** Label of a SubjectPublicKeyInfo (RFC 7468 §13). */
    public static final String PUBLIC_KEY = "PUBLIC KEY";

    private static final int MAX_PEM_LENGTH = 16 * 1024;

    private PemCodec() {
    }

    /** The DER bytes of the single PEM block in {@code pem}, which must carry {@code expectedLabel}. */
    public static byte[] decode(String pem, String expectedLabel) {
        if (pem == null || pem.isBlank()) {
            throw new CryptoInputException(Reason.PEM_MALFORMED, "The PEM text is empty");
        }
        if (pem.length() > MAX_PEM_LENGTH) {
            throw new CryptoInputException(Reason.PEM_MALFORMED, "The PEM text is too long");
        }
        String text = pem.strip();
        if (!text.startsWith("-----BEGIN ") || !text.endsWith("-----") || text.indexOf("-----BEGIN ", 1) >= 0) {
            throw new CryptoInputException(Reason.PEM_MALFORMED, "Expected exactly one PEM block");
        }
        PemObject object;
        try (PemReader reader = new PemReader(new StringReader(text))) {
            object = reader.readPemObject();
        } catch (IOException | RuntimeException e) {
            throw new CryptoInputException(Reason.PEM_MALFORMED, "The PEM block is malformed or truncated");
        }
        if (object == null || object.getContent().length == 0) {
            throw new CryptoInputException(Reason.PEM_MALFORMED, "The PEM block is malformed or truncated");
        }
        if (!expectedLabel.equals(object.getType())) {
            throw new CryptoInputException(Reason.PEM_WRONG_LABEL,
                    "Expected a PEM block labelled '" + expectedLabel + "'");
        }
        return object.getContent();
    }

    /** One PEM block. */
    public static String encode(String label, byte[] der) {
        return encodeAll(label, List.of(der));
    }

    /** Consecutive PEM blocks with the same label, such as a certificate chain. */
    public static String encodeAll(String label, List<byte[]> ders) {
        StringWriter out = new StringWriter();
        try (PemWriter writer = new PemWriter(out)) {
            for (byte[] der : ders) {
                writer.writeObject(new PemObject(label, der));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
