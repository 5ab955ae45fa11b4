package io.simanchor.mud.api.rest;

/** Media types of MUD (RFC 8520 §15.2) and of the signature and chain that go with it. */
final class MudMediaTypes {

    static final String MUD_JSON = "application/mud+json";
    static final String PKCS7_SIGNATURE = "application/pkcs7-signature";
    /** RFC 8555 §9.1. */
    static final String PEM_CHAIN = "application/pem-certificate-chain";

    private MudMediaTypes() {
    }
}
