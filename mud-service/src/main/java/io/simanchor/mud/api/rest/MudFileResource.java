package io.simanchor.mud.api.rest;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;

import io.simanchor.mud.domain.ModelKey;
import io.simanchor.mud.domain.MudFileVersion;
import io.simanchor.mud.domain.MudPublishing;
import io.smallrye.common.annotation.Blocking;

/**
 * The public side: MUD files (RFC 8520 §4) and their detached signatures (§13) for MUD managers, and the
 * signer's chain for anyone verifying them. Files are cacheable for their {@code cache-validity} and
 * revalidate with their entity tag.
 */
@Blocking
@Path("/")
@PermitAll // MUD files are public (RFC 8520 §1.3)
public class MudFileResource {

    private final MudPublishing publishing;

    MudFileResource(MudPublishing publishing) {
        this.publishing = publishing;
    }

    @GET
    @Path("/mud/{manufacturer}/{model}.json")
    @Produces(MudMediaTypes.MUD_JSON)
    public Response file(@PathParam("manufacturer") String manufacturer, @PathParam("model") String model,
            @Context Request request) {
        MudFileVersion version = publishing.current(new ModelKey(manufacturer, model));
        return cached(version, request, version.content(), MudMediaTypes.MUD_JSON);
    }

    @GET
    @Path("/mud/{manufacturer}/{model}.p7s")
    @Produces(MudMediaTypes.PKCS7_SIGNATURE)
    public Response signature(@PathParam("manufacturer") String manufacturer, @PathParam("model") String model,
            @Context Request request) {
        MudFileVersion version = publishing.current(new ModelKey(manufacturer, model));
        return cached(version, request, version.signature(), MudMediaTypes.PKCS7_SIGNATURE);
    }

    @GET
    @Path("/api/v1/mud/signer-chain")
    @Produces(MudMediaTypes.PEM_CHAIN)
    public String signerChain() {
        return String.join("", publishing.signerChain());
    }

    private static Response cached(MudFileVersion version, Request request, byte[] body, String mediaType) {
        // The signature's tag derives from the file's, so a file and its signature revalidate together.
        EntityTag tag = new EntityTag(unquoted(version.etag()) + (mediaType.equals(MudMediaTypes.MUD_JSON)
                ? ""
                : ".p7s"));
        // RFC 8520 §3.4: cache-validity is how long (in hours) a MUD manager may keep the file; no-transform
        // because a proxy that re-encodes the file would break its signature.
        String cache = "public, max-age=" + version.cacheValidityHours() * 3600 + ", no-transform";
        Response.ResponseBuilder notModified = request.evaluatePreconditions(tag);
        if (notModified != null) {
            return notModified.header(HttpHeaders.CACHE_CONTROL, cache).build();
        }
        return Response.ok(body, mediaType).tag(tag).header(HttpHeaders.CACHE_CONTROL, cache).build();
    }

    private static String unquoted(String etag) {
        return etag.substring(1, etag.length() - 1);
    }
}
