package org.kernelci.batch.http;

import java.util.Locale;

/** Checks of a request's {@code Content-Type}: the media type, compared case-insensitively, parameters allowed. */
final class MediaTypes {
    static final String JSON = "application/json";
    static final String NDJSON = "application/x-ndjson";

    private MediaTypes() {
    }

    static boolean is(String contentType, String mediaType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String given = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip();
        return given.toLowerCase(Locale.ROOT).equals(mediaType);
    }
}
