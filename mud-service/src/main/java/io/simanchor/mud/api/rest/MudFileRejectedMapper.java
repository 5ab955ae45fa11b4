package io.simanchor.mud.api.rest;

import java.net.URI;
import java.util.List;

import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.simanchor.mud.domain.MudFileRejected;
import io.simanchor.mud.domain.MudProblems;
import io.simanchor.mud.domain.Violation;
import io.simanchor.support.problem.Problem;

/** An invalid MUD file: 400 problem+json listing every problem with its JSON pointer (RFC 9457 §3.2 extension). */
public class MudFileRejectedMapper {

    /** The problem body with the {@code violations} extension member. */
    public record InvalidMudFile(URI type, String title, int status, String detail, String code,
            List<Violation> violations) {
    }

    @ServerExceptionMapper
    public Response rejected(MudFileRejected e) {
        var type = MudProblems.MUD_FILE_INVALID;
        return Response.status(type.status())
                .type(Problem.MEDIA_TYPE)
                .entity(new InvalidMudFile(type.uri(), type.title(), type.status(),
                        e.getMessage() + "; nothing was stored",
                        type.code(), e.violations()))
                .build();
    }
}
