package org.kernelci.batch.http;

import java.time.Clock;
import java.util.List;
import org.glassfish.jersey.server.ResourceConfig;
import org.kernelci.batch.auth.AddressRange;
import org.kernelci.batch.auth.TokenStore;
import org.kernelci.batch.execute.BatchRunner;
import org.kernelci.batch.execute.Database;
import org.kernelci.batch.plan.BatchPlanner;
import org.kernelci.batch.plan.QueryPlanner;

/** Registers the HTTP edge: resources, the error mapper and compression. */
public final class Endpoints {
    private Endpoints() {
    }

    public static void register(ResourceConfig config, Database database, QueryPlanner planner,
                                TokenStore tokens, List<AddressRange> trustedProxies, Clock clock, String version,
                                int maxOperations, int maxBodyBytes) {
        Access access = new Access(tokens, trustedProxies);
        BatchRunner runner = new BatchRunner(database);
        config.register(new CollectionResource(runner, planner, access, database, clock, maxBodyBytes));
        config.register(new ImportResource(database, access, clock));
        config.register(new CountResource(runner, planner, access));
        config.register(new BatchResource(new BatchPlanner(planner), runner, access, maxOperations, maxBodyBytes));
        config.register(new TokenResource(tokens, access));
        config.register(new VersionResource(version));
        config.register(new HealthResource(database));
        config.register(new ErrorMapper());
        config.register(new Compression());
    }
}
