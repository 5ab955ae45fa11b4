package io.simanchor.identity.api.rest;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;

import io.simanchor.identity.domain.CertificateAuthority;

/** Publishes the device CA chain, so relying parties can validate device certificates. */
@Path("/api/v1/ca")
@PermitAll // the public device CA chain
public class CaResource {

    private final CertificateAuthority ca;

    CaResource(CertificateAuthority ca) {
        this.ca = ca;
    }

    /** The issuing CA then the root CA, PEM. */
    @GET
    @Produces("application/pem-certificate-chain")
    public String chain() {
        return String.join("", ca.chainPem());
    }
}
