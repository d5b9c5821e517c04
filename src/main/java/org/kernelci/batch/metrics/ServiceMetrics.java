package org.kernelci.batch.metrics;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.jmx.JmxConfig;
import io.micrometer.jmx.JmxMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import org.kernelci.batch.execute.Database;
import org.kernelci.batch.execute.Replica;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The meters of one application: requests by route and status (with latency histograms),
 * operations per batch, the time of a request's reads in the database, rows streamed out, the
 * connection pool (HikariCP records into {@link #registry()}) and the JVM. Prometheus reads them
 * through {@link #scrape()}; {@link #publishToJmx} adds JMX.
 */
public final class ServiceMetrics implements AutoCloseable {
    /** The content type of {@link #scrape()}: Prometheus text format 0.0.4. */
    public static final String PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private static final Logger LOG = LoggerFactory.getLogger(ServiceMetrics.class);
    private static final Duration FASTEST = Duration.ofMillis(1);
    private static final Duration SLOWEST = Duration.ofSeconds(30);

    private final PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final CompositeMeterRegistry registry = new CompositeMeterRegistry();
    private final DistributionSummary batchOperations;
    private final Timer databaseReads;
    private final Counter rowsStreamed;
    private final Counter keptBatchAnswers;
    /** The request timers by method, route and status: building one's name and tags cost more than timing. */
    private final Map<String, Timer> requestTimers = new ConcurrentHashMap<>();
    private volatile JmxMeterRegistry jmx;

    public ServiceMetrics() {
        registry.add(prometheus);
        batchOperations = DistributionSummary.builder("kci.batch.operations")
                .description("Operations in one POST /batch").baseUnit("operations")
                .serviceLevelObjectives(1, 2, 5, 10, 20, 50, 100, 200, 500).register(registry);
        databaseReads = Timer.builder("kci.database.reads")
                .description("A request's reads in the database: one round trip in one snapshot, up to the first rows "
                        + "(rows of cursors fetched while the response streams are not included)")
                .publishPercentileHistogram().minimumExpectedValue(FASTEST).maximumExpectedValue(SLOWEST)
                .register(registry);
        rowsStreamed = Counter.builder("kci.rows.streamed").description("Documents written into responses")
                .baseUnit("rows").register(registry);
        keptBatchAnswers = Counter.builder("kci.batch.kept.not.modified")
                .description("304s to POST /batch answered from a kept batch before the JAX-RS runtime")
                .register(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    /**
     * The database's state as the service takes it (up or known down) and its refusals so far:
     * 503s for a full pool ("busy") apart from those for an unreachable database.
     */
    public void database(Supplier<Database.Metrics> state) {
        Gauge.builder("kci.database.up", () -> state.get().up() ? 1 : 0)
                .description("1 while the database is taken to answer, 0 while it is known down").register(registry);
        FunctionCounter.builder("kci.database.refused", state,
                        s -> s.get().busyRefusals())
                .description("Requests refused with 503 by reason").tag("reason", "busy").register(registry);
        FunctionCounter.builder("kci.database.refused", state,
                        s -> s.get().unavailableRefusals())
                .description("Requests refused with 503 by reason").tag("reason", "unavailable").register(registry);
    }

    /**
     * The read replica: whether it serves the reads now (else the primary does), its last lag
     * measured, how often the reads switched between it and the primary, and reads it failed
     * that the primary ran.
     */
    public void readReplica(Supplier<Replica.Metrics> state) {
        Gauge.builder("kci.read.replica.serving", () -> state.get().serving() ? 1 : 0)
                .description("1 while the read replica serves the reads, 0 while the primary does").register(registry);
        Gauge.builder("kci.read.replica.lag", () -> state.get().lagSeconds()).baseUnit("seconds")
                .description("How far the read replica replays behind the primary, as last measured (NaN: unknown)")
                .register(registry);
        FunctionCounter.builder("kci.read.source.switches", state, s -> s.get().switches())
                .description("Switches of the reads between the read replica and the primary").register(registry);
        FunctionCounter.builder("kci.read.replica.fallbacks", state, s -> s.get().fallbacks())
                .description("Reads the read replica failed (connection, full pool, cancelled by replay), run on the primary")
                .register(registry);
    }

    /** Where other parts (the connection pool) register their meters. */
    public MeterRegistry registry() {
        return registry;
    }

    /** Every meter in the Prometheus text format ({@link #PROMETHEUS_CONTENT_TYPE}). */
    public String scrape() {
        return prometheus.scrape();
    }

    /**
     * One HTTP request, answered.
     *
     * @param route the route template ({@code /{collection}/{id}}), never the path asked for, so
     *              that clients cannot make new series
     */
    public void request(String method, String route, int status, long nanos) {
        requestTimers.computeIfAbsent(method + ' ' + route + ' ' + status, key -> Timer.builder("kci.http.requests")
                .description("HTTP requests by route and status, until the body was written")
                .tag("method", method).tag("route", route).tag("status", Integer.toString(status))
                .publishPercentileHistogram().minimumExpectedValue(FASTEST).maximumExpectedValue(SLOWEST)
                .register(registry)).record(nanos, TimeUnit.NANOSECONDS);
    }

    public void batch(int operations) {
        batchOperations.record(operations);
    }

    public void databaseReads(long nanos) {
        databaseReads.record(nanos, TimeUnit.NANOSECONDS);
    }

    public void keptBatchAnswered() {
        keptBatchAnswers.increment();
    }

    public void rowStreamed() {
        rowsStreamed.increment();
    }

    /**
     * Also publishes every meter as an MBean in the JMX domain {@code domain}, unless another
     * application of this JVM already uses it (tests start many; a container gives each context
     * path its own domain).
     */
    public void publishToJmx(String domain) {
        try {
            if (!ManagementFactory.getPlatformMBeanServer().queryNames(new ObjectName(domain + ":*"), null).isEmpty()) {
                LOG.debug("JMX domain {} is taken; this application's metrics are not published to JMX", domain);
                return;
            }
        } catch (MalformedObjectNameException e) {
            throw new IllegalArgumentException("not a JMX domain: " + domain, e);
        }
        JmxMeterRegistry published = new JmxMeterRegistry(new JmxConfig() {
            @Override
            public String get(String key) {
                return null;
            }

            @Override
            public String domain() {
                return domain;
            }
        }, Clock.SYSTEM);
        registry.add(published);
        jmx = published;
    }

    @Override
    public void close() {
        registry.close();
        JmxMeterRegistry published = jmx;
        if (published != null) {
            published.close();
        }
        prometheus.close();
    }
}
