package io.simanchor.identity.api.rest;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.NoSuchElementException;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import io.quarkus.security.identity.SecurityIdentity;
import io.simanchor.identity.domain.ImportReport;
import io.simanchor.identity.domain.ManifestLine;
import io.simanchor.identity.domain.ManifestRecord;
import io.simanchor.identity.domain.RegistrationService;
import io.simanchor.support.http.OperatorScope;
import io.simanchor.support.http.Roles;
import io.smallrye.common.annotation.Blocking;

/** Operators register expected devices, one at a time or as a SIM vendor's JSON Lines manifest. */
@Path("/api/v1/admin")
@Blocking
@RolesAllowed(Roles.DEVICE_ADMIN)
@Produces(MediaType.APPLICATION_JSON)
public class RegistrationAdminResource {

    /** Media types accepted for manifests: JSON Lines. */
    static final String NDJSON = "application/x-ndjson";
    static final String JSONL = "application/jsonl";

    private final RegistrationService registrations;
    private final SecurityIdentity identity;
    private final ObjectReader recordReader;

    RegistrationAdminResource(RegistrationService registrations, SecurityIdentity identity, ObjectMapper json) {
        this.registrations = registrations;
        this.identity = identity;
        this.recordReader = json.readerFor(RegistrationRequest.class)
                .with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    /** A registration: the fields of a manifest record, plus the tenant for single registrations. */
    public record RegistrationRequest(String tenantId, String iccid, String imei, String hwModel, String manufacturer,
            String simPublicKey, String vendorKeyId, String endorsement) {

        ManifestRecord toRecord() {
            return new ManifestRecord(iccid, imei, hwModel, manufacturer, simPublicKey, vendorKeyId, endorsement);
        }
    }

    /** Outcome of a single registration. */
    public record RegistrationResponse(String iccid, boolean created) {
    }

    @POST
    @Path("/registrations")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response register(RegistrationRequest request) {
        Requests.require(request != null, "body");
        String tenant = OperatorScope.of(identity).tenantOr(request.tenantId());
        boolean created = registrations.register(tenant, request.toRecord(), actor());
        return Response.status(created ? Response.Status.CREATED : Response.Status.OK)
                .entity(new RegistrationResponse(request.iccid(), created))
                .build();
    }

    /**
     * Imports a manifest: one JSON object per line (fields of {@link RegistrationRequest} without
     * {@code tenantId}) into {@code tenant}, by default the operator's own ({@code default} for a platform
     * operator). Always 200 with a report; bad lines are listed with their number and reason.
     */
    @POST
    @Path("/registrations:bulk")
    @Consumes({NDJSON, JSONL})
    public ImportReport importManifest(@QueryParam("tenant") String tenant, InputStream body) {
        return registrations.importManifest(OperatorScope.of(identity).tenantOr(tenant), new ManifestLines(body),
                actor());
    }

    private String actor() {
        return identity.getPrincipal().getName();
    }

    /** Reads a manifest lazily, line by line; blank lines are skipped but counted. */
    private final class ManifestLines implements Iterator<ManifestLine> {

        private final BufferedReader reader;
        private int number;
        private String next;

        ManifestLines(InputStream body) {
            this.reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
        }

        @Override
        public boolean hasNext() {
            try {
                while (next == null) {
                    String line = reader.readLine();
                    if (line == null) {
                        return false;
                    }
                    number++;
                    if (!line.isBlank()) {
                        next = line;
                    }
                }
                return true;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public ManifestLine next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            String line = next;
            next = null;
            try {
                RegistrationRequest request = recordReader.readValue(line);
                if (request == null) {
                    return new ManifestLine(number, null, "The line is not a JSON object");
                }
                if (request.tenantId() != null) {
                    return new ManifestLine(number, null, "'tenantId' is given by the 'tenant' query parameter");
                }
                return new ManifestLine(number, request.toRecord(), null);
            } catch (UnrecognizedPropertyException e) {
                return new ManifestLine(number, null, "Unknown field '" + e.getPropertyName() + "'");
            } catch (JsonProcessingException e) {
                return new ManifestLine(number, null, "The line is not a JSON object of a manifest record");
            }
        }
    }
}
