package org.kernelci.batch.http;

import jakarta.servlet.ServletContext;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.kernelci.batch.ApiException;

/**
 * {@code GET /dashboard/...}: the dashboard's static pages, from the WAR's {@code dashboard/}
 * folder (webapp/dashboard), and the chart library from its WebJar on the classpath, each with
 * the pages' security headers. Jersey's servlet covers {@code /*}, so the container's default
 * servlet never sees these paths; serving them here works the same in every container and under
 * any context path (docs/ARCHITECTURE.md).
 */
@Path("/dashboard")
public final class DashboardResource {
    /** Only the WAR's own scripts, styles and connections; no inline script; framed only by the frame ancestors. */
    private static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors ";
    /** The container's FORM login pages (tomcat-conf/sign-in-web.xml): their form posts to j_security_check. */
    private static final String SIGN_IN_PAGE = "sign-in";
    private static final String SIGN_IN_FAILED = "sign-in-failed.html";
    /** Lower-case names in folders; no dot segments, so nothing outside the folder is reachable. */
    private static final Pattern FILE = Pattern.compile("(?:[a-z0-9-]+/)*[a-z0-9-]+(?:\\.[a-z0-9-]+)*\\.([a-z]+)");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=UTF-8",
            "js", "text/javascript; charset=UTF-8",
            "css", "text/css; charset=UTF-8",
            "json", "application/json; charset=UTF-8",
            "svg", "image/svg+xml");
    private static final String CHART_LIBRARY = "lib/chart.umd.js";
    private static final String WEBJAR = "META-INF/resources/webjars/chart.js/";

    private final String chartLibrary;
    private final String contentSecurityPolicy;

    DashboardResource(FrameAncestors frameAncestors) {
        this.chartLibrary = WEBJAR + webJarVersion() + "/dist/chart.umd.js";
        this.contentSecurityPolicy = contentSecurityPolicy(frameAncestors);
    }

    static String contentSecurityPolicy(FrameAncestors frameAncestors) {
        return CONTENT_SECURITY_POLICY + frameAncestors.sources();
    }

    private static String webJarVersion() {
        Properties properties = new Properties();
        try (InputStream in = DashboardResource.class.getClassLoader()
                .getResourceAsStream("META-INF/maven/org.webjars.npm/chart.js/pom.properties")) {
            if (in == null) {
                throw new IllegalStateException("The chart.js WebJar is not on the classpath");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties.getProperty("version");
    }

    /** The overview; {@code /dashboard} without the slash moves there, so relative links resolve. */
    @GET
    public Response index(@Context UriInfo uri, @Context ServletContext context) {
        if (!uri.getPath().endsWith("/")) {
            return Response.status(Response.Status.MOVED_PERMANENTLY)
                    .location(URI.create(uri.getBaseUri().getRawPath() + "dashboard/")).build();
        }
        return file("index.html", context);
    }

    /** The FORM error page: the container forwards the failed login's POST to it, method and all. */
    @POST
    @Path("/" + SIGN_IN_FAILED)
    public Response signInFailed(@Context ServletContext context) {
        return file(SIGN_IN_FAILED, context);
    }

    @GET
    @Path("/{file: .+}")
    public Response file(@PathParam("file") String name, @Context ServletContext context) {
        Matcher file = FILE.matcher(name);
        if (!file.matches()) {
            // Not echoed: only names of the safe shape go back to the client.
            throw ApiException.notFound("No such page");
        }
        String type = TYPES.get(file.group(1));
        if (type == null) {
            throw ApiException.notFound("No such page: dashboard/" + name);
        }
        byte[] body;
        try (InputStream in = name.equals(CHART_LIBRARY)
                ? DashboardResource.class.getClassLoader().getResourceAsStream(chartLibrary)
                : context.getResourceAsStream("/dashboard/" + name)) {
            if (in == null) {
                throw ApiException.notFound("No such page: dashboard/" + name);
            }
            body = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Response.ok(body, type)
                .header("Content-Security-Policy", name.startsWith(SIGN_IN_PAGE)
                        ? contentSecurityPolicy.replace("form-action 'none'", "form-action 'self'") : contentSecurityPolicy)
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "no-referrer")
                .header("Cache-Control", "no-cache")
                .build();
    }
}
