package io.simanchor.mud.infra.json;

import java.io.IOException;
import java.util.List;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import io.simanchor.mud.domain.MudDocuments;
import io.simanchor.mud.domain.MudFileRejected;
import io.simanchor.mud.domain.Violation;

/**
 * Reads uploaded MUD files with Jackson, strictly: a member name given twice is refused (RFC 8259 §4 leaves
 * its meaning open, and two readers could then enforce two different policies), as is anything after the
 * JSON text. Numbers with a fraction stay exact ({@code BigDecimal}) so that {@code 48.5} is not read as 48.
 */
public final class StrictMudDocuments implements MudDocuments {

    private final ObjectMapper json = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
            .build();

    public StrictMudDocuments() {
        // Nesting deeper than any MUD file needs is an attack on the parser, not a policy.
        json.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build());
    }

    @Override
    public Object parse(byte[] content) {
        try {
            Object document = json.readValue(content, Object.class);
            if (document == null) {
                throw rejected("", "the body must be a JSON object, was null");
            }
            return document;
        } catch (JsonProcessingException e) {
            // The parser's position as a JSON pointer; its message could echo content, so it is not passed on.
            String pointer = e.getProcessor() instanceof JsonParser parser
                    ? parser.getParsingContext().pathAsPointer().toString()
                    : "";
            String message = e.getMessage() != null && e.getMessage().startsWith("Duplicate field")
                    ? "member name given twice (JSON members must be unique here)"
                    : e.getLocation() == null
                            ? "not well-formed JSON"
                            : "not well-formed JSON at line " + e.getLocation().getLineNr() + ", column "
                                    + e.getLocation().getColumnNr();
            throw rejected(pointer, message);
        } catch (IOException e) {
            throw rejected("", "the body cannot be read as JSON");
        }
    }

    private static MudFileRejected rejected(String pointer, String message) {
        return new MudFileRejected(List.of(new Violation(pointer, message)));
    }
}
