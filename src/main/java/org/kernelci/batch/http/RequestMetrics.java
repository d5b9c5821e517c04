package org.kernelci.batch.http;

import jakarta.ws.rs.ext.Provider;
import java.util.List;
import org.glassfish.jersey.server.ContainerResponse;
import org.glassfish.jersey.server.monitoring.ApplicationEvent;
import org.glassfish.jersey.server.monitoring.ApplicationEventListener;
import org.glassfish.jersey.server.monitoring.RequestEvent;
import org.glassfish.jersey.server.monitoring.RequestEventListener;
import org.glassfish.jersey.uri.UriTemplate;
import org.kernelci.batch.metrics.ServiceMetrics;

/**
 * Times every request from its arrival in Jersey until its body was written, by method, route
 * template and status.
 */
@Provider
final class RequestMetrics implements ApplicationEventListener {
    /** The route of requests that matched no resource (404 before any resource). */
    static final String UNMATCHED = "unmatched";

    private final ServiceMetrics metrics;

    RequestMetrics(ServiceMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void onEvent(ApplicationEvent event) {
        // Start and stop of the application carry nothing to count.
    }

    @Override
    public RequestEventListener onRequest(RequestEvent start) {
        long started = System.nanoTime();
        return event -> {
            if (event.getType() == RequestEvent.Type.FINISHED) {
                ContainerResponse response = event.getContainerResponse();
                metrics.request(event.getContainerRequest().getMethod(), route(event),
                        response == null ? 500 : response.getStatus(), System.nanoTime() - started);
            }
        };
    }

    /** The matched templates, outermost first: {@code /count} then {@code /{collection}}. */
    private static String route(RequestEvent event) {
        List<UriTemplate> templates = event.getUriInfo().getMatchedTemplates();
        if (templates.isEmpty()) {
            return UNMATCHED;
        }
        StringBuilder route = new StringBuilder();
        for (int i = templates.size() - 1; i >= 0; i--) {
            String template = templates.get(i).getTemplate();
            if (!template.startsWith("/")) {
                route.append('/');
            }
            route.append(template);
        }
        // A variable's regular expression ({collection: test/group|...}) is not part of the route's name.
        String joined = route.toString().replaceAll("\\{(\\w+):[^}]*}", "{$1}").replaceAll("/+", "/");
        return joined.length() > 1 && joined.endsWith("/") ? joined.substring(0, joined.length() - 1) : joined;
    }
}
