package org.kernelci.batch.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.networknt.schema.InputFormat;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.NonValidationKeyword;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.swagger.v3.core.util.Json31;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import jakarta.ws.rs.Path;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.glassfish.jersey.server.model.Resource;
import org.glassfish.jersey.server.model.ResourceMethod;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kernelci.batch.testing.FixtureServer;
import org.kernelci.batch.testing.HttpProbe.Reply;
import org.kernelci.batch.testing.TestServer;

/**
 * openapi.json against the running service, both ways: every route the service has is
 * described, and every described operation answers with a documented status, content type and a
 * body its schema accepts. A new route is described by adding its path item to openapi.json,
 * with examples for its path parameters and body.
 */
class OpenApiIT {
    private static final List<String> OPENAPI_MEMBERS =
            List.of("openapi", "jsonSchemaDialect", "info", "servers", "security", "paths", "components");
    private static TestServer server;
    private static String served;
    private static OpenAPI description;

    @TempDir
    static java.nio.file.Path directory;

    @BeforeAll
    static void start() throws SQLException, IOException {
        server = TestServer.start(Clock.fixed(FixtureServer.NOW, ZoneOffset.UTC), Map.of());
        try (Connection connection = DriverManager.getConnection(server.jdbcUrl(), "postgres", "");
             Statement statement = connection.createStatement();
             InputStream sql = OpenApiIT.class.getResourceAsStream("/fixtures/collections.sql")) {
            statement.execute(new String(sql.readAllBytes(), StandardCharsets.UTF_8));
        }
        Reply reply = server.http().get("/openapi.json");
        assertEquals(200, reply.status());
        served = reply.body();
        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(served);
        assertEquals(List.of(), parsed.getMessages(), "openapi.json is a valid OpenAPI description");
        description = parsed.getOpenAPI();
        assertEquals("3.1.0", description.getOpenapi());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** "GET /count/{collection}" for each resource method of each registered resource. */
    private static Set<String> serviceRoutes() {
        Set<String> routes = new TreeSet<>();
        for (Object instance : server.application().getInstances()) {
            if (instance.getClass().isAnnotationPresent(Path.class)) {
                Resource resource = Resource.from(instance.getClass());
                addRoutes(routes, "", resource);
            }
        }
        return routes;
    }

    private static void addRoutes(Set<String> routes, String prefix, Resource resource) {
        String path = normalize(prefix + "/" + resource.getPath());
        for (ResourceMethod method : resource.getResourceMethods()) {
            routes.add(method.getHttpMethod() + " " + path);
        }
        for (Resource child : resource.getChildResources()) {
            addRoutes(routes, path, child);
        }
    }

    /** One slash between segments, none at the end, template parameters without their patterns. */
    private static String normalize(String path) {
        String single = path.replaceAll("/+", "/").replaceAll("\\{\\s*(\\w+)\\s*:[^}]*}", "{$1}");
        return single.length() > 1 && single.endsWith("/") ? single.substring(0, single.length() - 1) : single;
    }

    private static Set<String> describedRoutes() {
        Set<String> routes = new TreeSet<>();
        description.getPaths().forEach((path, item) ->
                item.readOperationsMap().keySet().forEach(method -> routes.add(method + " " + path)));
        return routes;
    }

    @Test
    @DisplayName("every route of the service is described, and nothing else")
    void everyRouteDescribed() {
        Set<String> service = serviceRoutes();
        Set<String> described = describedRoutes();
        Set<String> undescribed = new TreeSet<>(service);
        undescribed.removeAll(described);
        assertEquals(Set.of(), undescribed, "routes of the service missing from openapi.json");
        Set<String> extra = new TreeSet<>(described);
        extra.removeAll(service);
        assertEquals(Set.of(), extra, "routes in openapi.json that the service does not have");
    }

    @Test
    @DisplayName("every described operation answers as described: status, content type, body schema; 403 without a token where one is needed")
    void everyOperationAnswersAsDescribed() throws IOException {
        java.nio.file.Path document = Files.writeString(directory.resolve("openapi.json"), served);
        // The document's own members are no schema keywords: the schemas are found by pointer.
        JsonMetaSchema openApi = JsonMetaSchema.builder(JsonMetaSchema.getV202012())
                .keywords(OPENAPI_MEMBERS.stream().map(NonValidationKeyword::new).toList()).build();
        JsonSchemaFactory schemas = JsonSchemaFactory.builder(JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012))
                .metaSchema(openApi).build();
        List<String> problems = new ArrayList<>();
        int checked = 0;
        for (Map.Entry<String, PathItem> path : description.getPaths().entrySet()) {
            for (Map.Entry<PathItem.HttpMethod, Operation> entry : path.getValue().readOperationsMap().entrySet()) {
                String route = entry.getKey() + " " + path.getKey();
                Operation operation = entry.getValue();
                boolean secured = operation.getSecurity() != null && !operation.getSecurity().isEmpty();
                Reply reply = send(path.getKey(), entry.getKey(), operation, secured ? TestServer.ADMIN_TOKEN : null);
                problems.addAll(check(route, operation, reply, document, schemas, path.getKey(), entry.getKey()));
                if (secured) {
                    Reply refused = send(path.getKey(), entry.getKey(), operation, null);
                    if (refused.status() != 403 || !operation.getResponses().containsKey("403")) {
                        problems.add(route + " without a token: " + refused.status() + " (403 expected and documented)");
                    }
                }
                checked++;
            }
        }
        assertEquals(List.of(), problems);
        assertEquals(describedRoutes().size(), checked);
    }

    private static Reply send(String template, PathItem.HttpMethod method, Operation operation, String token) {
        String path = template;
        for (Parameter parameter : operation.getParameters() == null ? List.<Parameter>of() : operation.getParameters()) {
            if ("path".equals(parameter.getIn())) {
                path = path.replace("{" + parameter.getName() + "}", String.valueOf(parameter.getExample()));
            }
        }
        assertTrue(!path.contains("{"), template + ": each path parameter needs an example");
        List<String> headers = new ArrayList<>(List.of("Accept-Encoding", "identity"));
        if (token != null) {
            headers.addAll(List.of("Authorization", token));
        }
        byte[] body = null;
        if (operation.getRequestBody() != null) {
            Map.Entry<String, MediaType> content = operation.getRequestBody().getContent().entrySet().iterator().next();
            Object example = content.getValue().getExample();
            assertTrue(example != null, template + " " + method + ": the request body needs an example");
            String text = example instanceof String string ? string : Json31.pretty(example);
            body = text.getBytes(StandardCharsets.UTF_8);
            headers.addAll(List.of("Content-Type", content.getKey()));
        }
        return server.http().send(method.name(), path.substring(1).isEmpty() ? "/" : path, body, headers.toArray(new String[0]));
    }

    private static List<String> check(String route, Operation operation, Reply reply, java.nio.file.Path document,
                                      JsonSchemaFactory schemas, String path, PathItem.HttpMethod method) {
        String status = Integer.toString(reply.status());
        ApiResponse response = operation.getResponses().get(status);
        String pointer = "/paths/" + escape(path) + "/" + method.name().toLowerCase(java.util.Locale.ROOT) + "/responses/" + status;
        if (response == null) {
            return List.of(route + ": answered " + status + ", which is not documented: "
                    + reply.body().substring(0, Math.min(300, reply.body().length())));
        }
        if (response.get$ref() != null) {
            pointer = response.get$ref().substring(1);
            response = description.getComponents().getResponses().get(response.get$ref().replaceFirst(".*/", ""));
        }
        if (response.getContent() == null) {
            return List.of();
        }
        String type = reply.header("Content-Type");
        String base = type == null ? "" : type.split(";")[0].strip();
        if (!response.getContent().containsKey(base)) {
            return List.of(route + ": content type " + type + ", documented " + response.getContent().keySet());
        }
        if (!base.equals("application/json")) {
            return List.of();
        }
        JsonSchema schema = schemas.getSchema(SchemaLocation.of(document.toUri() + "#" + pointer + "/content/"
                + escape(base) + "/schema"));
        Set<ValidationMessage> errors = schema.validate(reply.body(), InputFormat.JSON);
        String body = reply.body().length() > 300 ? reply.body().substring(0, 300) + "..." : reply.body();
        return errors.isEmpty() ? List.of() : List.of(route + " " + status + ": " + errors + " in " + body);
    }

    /** A JSON pointer token: "~" as "~0", "/" as "~1". */
    private static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }
}
