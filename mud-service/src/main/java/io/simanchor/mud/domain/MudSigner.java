package io.simanchor.mud.domain;

import java.util.List;

/**
 * Signs MUD files with the MUD signing key, which signs nothing else (RFC 8520 §13: a detached CMS
 * SignedData over the file's bytes).
 */
public interface MudSigner {

    /** The DER encoding of a detached CMS SignedData over {@code content}. */
    byte[] sign(byte[] content);

    /** The signer's certificate chain as PEM, signer first, for anyone verifying the signatures. */
    List<String> chainPem();
}
