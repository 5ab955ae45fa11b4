package io.simanchor.mud.infra.crypto;

import java.io.IOException;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.util.List;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

import io.simanchor.mud.domain.MudSigner;
import io.simanchor.support.crypto.Certificates;
import io.simanchor.support.crypto.CryptoProviders;

/**
 * Signs MUD files with Bouncy Castle's CMS generator: a detached SignedData (RFC 5652) over the file's
 * bytes, ECDSA with SHA-256, the signer and root certificates included, and the content type
 * {@code id-ct-mudtype} (RFC 8520 §13.2, OID 1.2.840.113549.1.9.16.1.41) in the signed attributes.
 */
public final class CmsMudSigner implements MudSigner {

    /** id-ct-mudtype (RFC 8520 §13.2). */
    static final ASN1ObjectIdentifier ID_CT_MUD_TYPE = new ASN1ObjectIdentifier("1.2.840.113549.1.9.16.1.41");

    private final MudSignerKeys keys;
    private final SecureRandom random;
    private final List<String> chainPem;

    public CmsMudSigner(MudSignerKeys keys, SecureRandom random) {
        this.keys = keys;
        this.random = random;
        this.chainPem = List.of(Certificates.pem(keys.signer()), Certificates.pem(keys.root()));
    }

    @Override
    public byte[] sign(byte[] content) {
        try {
            CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
            var contentSigner = new JcaContentSignerBuilder("SHA256withECDSA").setProvider(CryptoProviders.p256())
                    .setSecureRandom(random)
                    .build(keys.signerKey());
            generator.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(
                    new JcaDigestCalculatorProviderBuilder().setProvider(CryptoProviders.bouncyCastle()).build())
                    .build(contentSigner, keys.signer()));
            generator.addCertificates(new JcaCertStore(List.of(keys.signer(), keys.root())));
            // encapsulate = false: a detached signature; the file is served beside it (RFC 8520 §13.1).
            return generator.generate(new CMSProcessableByteArray(ID_CT_MUD_TYPE, content), false).getEncoded();
        } catch (CMSException | OperatorCreationException | CertificateEncodingException | IOException e) {
            throw new IllegalStateException("MUD file cannot be signed", e);
        }
    }

    @Override
    public List<String> chainPem() {
        return chainPem;
    }
}
