package org.kernelci.batch.render;

import org.kernelci.batch.auth.Permission;
import org.kernelci.batch.auth.Token;

/**
 * Writes a token as the original's {@code get_token.json}, without its value: only a hash is
 * stored and the value is shown once, when the token is made.
 */
public final class TokenWriter {
    private TokenWriter() {
    }

    public static void write(JsonOutput json, Token token) {
        json.beginObject();
        json.name("_id").value(token.id());
        if (token.email() != null) {
            json.name("email").value(token.email());
        }
        if (token.username() != null) {
            json.name("username").value(token.username());
        }
        json.name("created_on").beginObject().name("$date").value(token.createdOn().toEpochMilli()).endObject();
        if (token.expiresOn() != null) {
            json.name("expires_on").beginObject().name("$date").value(token.expiresOn().toEpochMilli()).endObject();
        }
        json.name("expired").value(token.expired());
        json.name("ip_address").beginArray();
        token.ipAddresses().forEach(json::value);
        json.endArray();
        int[] properties = new int[Permission.PROPERTIES];
        for (Permission permission : token.permissions()) {
            properties[permission.bit()] = 1;
        }
        json.name("properties").beginArray();
        for (int property : properties) {
            json.value(property);
        }
        json.endArray();
        json.endObject();
    }
}
