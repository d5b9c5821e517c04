package org.kernelci.batch.http;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.kernelci.batch.ApiException;
import org.kernelci.batch.auth.Permission;
import org.kernelci.batch.auth.Token;
import org.kernelci.batch.auth.TokenRequest;
import org.kernelci.batch.auth.TokenStore;
import org.kernelci.batch.parse.JsonBody;
import org.kernelci.batch.render.TokenWriter;
import org.kernelci.batch.schema.FieldType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /token}: token management, as the original had it. Admin and superuser tokens may list
 * and read tokens; admin tokens may change and delete them; admin tokens, and tokens with the
 * create-token permission, may make new ones (the latter without admin, superuser or
 * create-token rights).
 */
@Path("/token")
public final class TokenResource {
    private static final Logger LOG = LoggerFactory.getLogger(TokenResource.class);
    private static final int MAX_BODY = 65_536;
    private static final List<Permission> ADMIN_ONLY =
            List.of(Permission.ADMIN, Permission.SUPERUSER, Permission.CREATE_TOKEN);

    private final TokenStore tokens;
    private final Access access;

    TokenResource(TokenStore tokens, Access access) {
        this.tokens = tokens;
        this.access = access;
    }

    @GET
    public Response list(@Context HttpServletRequest request) {
        require(access.caller(request).isAdministrator());
        List<Token> all = tokens.list();
        return JsonResponses.ok(json -> {
            json.name("count").value(all.size()).name("result").beginArray();
            all.forEach(token -> TokenWriter.write(json, token));
            json.endArray();
        });
    }

    @GET
    @Path("/{id}")
    public Response read(@PathParam("id") String id, @Context HttpServletRequest request) {
        require(access.caller(request).isAdministrator());
        Token token = tokens.find(checkedId(id)).orElseThrow(() -> notFound(id));
        return JsonResponses.ok(json -> {
            json.name("result").beginArray();
            TokenWriter.write(json, token);
            json.endArray();
        });
    }

    @POST
    public Response create(@Context HttpServletRequest request, InputStream body) throws IOException {
        Token caller = access.caller(request);
        require(caller.has(Permission.ADMIN) || caller.has(Permission.CREATE_TOKEN));
        if (request.getHeader(IdempotentAnswers.KEY_HEADER) != null) {
            // Its answer holds the new token's value, which is stored only hashed: kept for a replay, it
            // would be stored in clear. A retry makes another token; GET /token lists them.
            throw ApiException.badRequest("Idempotency-Key: POST /token does not take one: its answer, the new token's"
                    + " value, is never stored, so it cannot be replayed");
        }
        TokenRequest wanted = TokenRequest.parse(JsonBody.read(RequestBodies.json(request, body, MAX_BODY)), true);
        if (!caller.has(Permission.ADMIN)) {
            require(ADMIN_ONLY.stream().noneMatch(permission -> Boolean.TRUE.equals(wanted.grants().get(permission))));
        }
        TokenStore.Created created = tokens.create(wanted);
        LOG.info("Token {} made by token {}", created.token().id(), caller.id());
        return JsonResponses.envelope(201, json -> json.name("result").beginArray().beginObject()
                .name("_id").value(created.token().id()).name("token").value(created.value())
                .endObject().endArray()).build();
    }

    @POST
    @Path("/{id}")
    public Response update(@PathParam("id") String id, @Context HttpServletRequest request, InputStream body)
            throws IOException {
        Token caller = access.caller(request);
        require(caller.has(Permission.ADMIN));
        String checked = checkedId(id);
        TokenRequest change = TokenRequest.parse(JsonBody.read(RequestBodies.json(request, body, MAX_BODY)), false);
        Token token = tokens.update(checked, change).orElseThrow(() -> notFound(id));
        LOG.info("Token {} changed by token {}", checked, caller.id());
        return JsonResponses.ok(json -> {
            json.name("result").beginArray();
            TokenWriter.write(json, token);
            json.endArray();
        });
    }

    @PUT
    @Path("/{id}")
    public Response replace(@PathParam("id") String id, @Context HttpServletRequest request, InputStream body)
            throws IOException {
        return update(id, request, body);
    }

    @DELETE
    @Path("/{id}")
    public Response delete(@PathParam("id") String id, @Context HttpServletRequest request) {
        Token caller = access.caller(request);
        require(caller.has(Permission.ADMIN));
        String checked = checkedId(id);
        if (!tokens.delete(checked)) {
            throw notFound(id);
        }
        LOG.info("Token {} deleted by token {}", checked, caller.id());
        return JsonResponses.ok(json -> json.name("result").beginArray()
                .beginObject().name("_id").value(checked).endObject().endArray());
    }

    private static String checkedId(String id) {
        try {
            return (String) FieldType.ID.parse(id);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("Wrong ID value provided");
        }
    }

    private static ApiException notFound(String id) {
        return ApiException.missing(id);
    }

    private static void require(boolean allowed) {
        if (!allowed) {
            throw ApiException.forbidden();
        }
    }
}
