package org.kernelci.batch.http;

import jakarta.servlet.ServletContext;
import jakarta.ws.rs.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.ServerProperties;
import org.glassfish.jersey.server.spi.AbstractContainerLifecycleListener;
import org.glassfish.jersey.server.spi.Container;
import org.glassfish.jersey.servlet.ServletContainer;
import org.kernelci.batch.auth.AddressRange;
import org.kernelci.batch.auth.RoleMapping;
import org.kernelci.batch.auth.TokenStore;
import org.kernelci.batch.execute.BatchExecutor;
import org.kernelci.batch.execute.BatchRunner;
import org.kernelci.batch.execute.CompareRequests;
import org.kernelci.batch.execute.Database;
import org.kernelci.batch.execute.IdempotencyKeys;
import org.kernelci.batch.execute.Replica;
import org.kernelci.batch.metrics.ServiceMetrics;
import org.kernelci.batch.pipeline.BatchPipeline;
import org.kernelci.batch.pipeline.ConditionalReads;
import org.kernelci.batch.pipeline.RecentBatches;
import org.kernelci.batch.plan.BatchPlanner;
import org.kernelci.batch.plan.BisectPlanner;
import org.kernelci.batch.plan.ComparePlanner;
import org.kernelci.batch.plan.QueryPlanner;
import org.kernelci.batch.plan.WritePlanner;
import org.kernelci.batch.render.ListShape;

/**
 * Registers the HTTP edge: resources, the error mapper, whole answers, compression and the
 * browser's home page; publishes what {@link ConditionalBatchFilter}, {@link CrossOriginFilter} and
 * {@link RequestBodies} need into the servlet context.
 */
public final class Endpoints {
    private Endpoints() {
    }

    public static void register(ResourceConfig config, Database database, Optional<Replica> replica, QueryPlanner planner,
                                TokenStore tokens, List<AddressRange> trustedProxies, Optional<RoleMapping> containerRoles,
                                Clock clock, String version,
                                int maxOperations, int maxBodyBytes, ServiceMetrics metrics,
                                BatchRunner.Limits limits, ListShape lists, CrossOrigins crossOrigins,
                                FrameAncestors frameAncestors, Duration idempotencyTtl, int rateOperations,
                                int rateBurst, Duration bodyTimeout) {
        IdempotencyKeys keys = new IdempotencyKeys(database, clock, idempotencyTtl);
        IdempotentAnswers idempotent = new IdempotentAnswers(keys);
        Access access = new Access(tokens, trustedProxies, containerRoles);
        OperationRates rates = new OperationRates(access, rateOperations, rateBurst, maxOperations);
        BatchRunner runner = new BatchRunner(database, replica, limits);
        ClientConnections clients = new ClientConnections();
        ConditionalReads conditional = new ConditionalReads(runner);
        Reads reads = new Reads(runner, metrics, clients, conditional);
        BatchExecutor executor = new BatchExecutor(runner, database);
        WritePlanner writes = new WritePlanner(clock);
        BatchPlanner batchPlanner = new BatchPlanner(planner, writes);
        InProcessRequests inProcess = new InProcessRequests();
        RecentBatches recent = new RecentBatches(clock);
        BatchPipeline pipeline = new BatchPipeline(batchPlanner, executor, recent, conditional, keys, metrics, lists,
                maxOperations, maxBodyBytes);
        BatchResource batch = new BatchResource(pipeline, reads, access, maxBodyBytes, new ArangoBatch(batchPlanner,
                executor, reads, inProcess, maxOperations, maxBodyBytes, limits.bytes(), idempotent, rates), rates);
        List<Object> routes = List.of(
                new ImportResource(database, access, clock),
                new CountResource(reads, planner, access),
                new BisectResource(reads, new BisectPlanner(planner), access),
                batch,
                new ApiBatchResource(batch),
                new TokenResource(tokens, access),
                new WhoAmIResource(access),
                new VersionResource(version),
                new MetricsResource(metrics, access),
                new OpenApiResource(),
                new HealthResource(database),
                new DashboardResource(frameAncestors));
        // Their first path segments are no collection: a POST there is a wrong method, not a report.
        Set<String> named = routes.stream()
                .map(route -> route.getClass().getAnnotation(Path.class).value().substring(1).split("/")[0])
                .collect(Collectors.toUnmodifiableSet());
        config.register(new CollectionResource(reads, planner, writes, executor, access, maxBodyBytes, named,
                idempotent));
        config.register(new CompareResource(reads, new ComparePlanner(maxOperations), new CompareRequests(database), access,
                maxBodyBytes));
        routes.forEach(config::register);
        config.register(rates);
        config.register(new ErrorMapper());
        config.register(new WholeAnswers(limits.bytes()));
        // WholeAnswers holds every body and sets its length: Jersey's own buffer (8 KiB per
        // response, allocated up front, passing a longer body on without a length) would only copy.
        config.property(ServerProperties.OUTBOUND_CONTENT_LENGTH_BUFFER, 0);
        config.register(new Compression());
        config.register(new RequestDecompression());
        config.register(new BrowserHome());
        config.register(new ServerTiming());
        config.register(new RequestMetrics(metrics));
        config.register(inProcess);
        ConditionalBatchFilter.Answers answers = new ConditionalBatchFilter.Answers(access, recent, conditional, metrics,
                maxBodyBytes);
        RequestBodies.Gate bodies = new RequestBodies.Gate(access, maxBodyBytes, bodyTimeout);
        config.register(new AbstractContainerLifecycleListener() {
            @Override
            public void onStartup(Container container) {
                servletContext(container).ifPresent(answers::publish);
                servletContext(container).ifPresent(bodies::publish);
                servletContext(container).ifPresent(crossOrigins::publish);
            }

            @Override
            public void onShutdown(Container container) {
                servletContext(container).ifPresent(answers::withdraw);
                servletContext(container).ifPresent(bodies::withdraw);
                servletContext(container).ifPresent(crossOrigins::withdraw);
                runner.close();
                clients.close();
            }
        });
    }

    /** The servlet context Jersey runs in; none when it runs in no servlet container. */
    private static Optional<ServletContext> servletContext(Container container) {
        return container instanceof ServletContainer servlet ? Optional.ofNullable(servlet.getServletContext())
                : Optional.empty();
    }
}
