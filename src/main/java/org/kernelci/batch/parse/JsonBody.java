package org.kernelci.batch.parse;

import jakarta.json.JsonException;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonParser;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.NoSuchElementException;
import org.kernelci.batch.ApiException;

/**
 * A request body read as exactly one JSON value: strict UTF-8, nothing after the value. Anything
 * else is a 422, as the original answered when {@code json.loads} failed.
 */
public final class JsonBody {
    /** Looked up once: {@code Json.createParser} looks the provider up on every call, in the jars. */
    private static final JsonProvider JSON = JsonProvider.provider();

    private JsonBody() {
    }

    /**
     * Whether the body's JSON value, if it is one, is an array: its first byte past JSON's white
     * space is {@code [}. Tells a batch's dialect without reading it twice.
     */
    public static boolean isArray(byte[] body) {
        for (byte b : body) {
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                return b == '[';
            }
        }
        return false;
    }

    public static JsonValue read(byte[] body) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            throw noJson("the body is not valid UTF-8");
        }
        if (text.isBlank()) {
            throw noJson("the body is empty");
        }
        JsonValue value;
        boolean trailing;
        try (JsonParser parser = JSON.createParser(new StringReader(text))) {
            parser.next();
            value = parser.getValue();
            trailing = parser.hasNext();
        } catch (JsonException | IllegalStateException | NoSuchElementException e) {
            throw noJson("the body is not valid JSON");
        } catch (RuntimeException e) {
            // Numbers too long or with too large an exponent, nesting too deep: beyond the reader,
            // which says so with assorted exceptions.
            throw noJson("the body's JSON exceeds the reader's limits (nesting depth or number size)");
        }
        if (trailing) {
            throw noJson("the body is not valid JSON");
        }
        return value;
    }

    private static ApiException noJson(String why) {
        return new ApiException(422, "No JSON data found in the POST request: " + why);
    }
}
