package io.simanchor.agent.token;

import java.util.concurrent.CompletionStage;

/**
 * Where the device's credentials come from (the platform's services through the SIM, in
 * {@link DeviceCredentials}): each call signs with the secure element and asks a service.
 */
public interface CredentialIssuer {

    /** A fresh attestation result (challenge, evidence signed by the SIM, EAR). */
    CompletionStage<Credential> attest();

    /** A fresh access token for {@code ear} (client assertion signed by the SIM, token request). */
    CompletionStage<Credential> token(Credential ear);
}
