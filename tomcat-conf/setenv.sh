# JVM options of the Tomcat that serves kci-batch. catalina.sh sources this file at start-up
# from $CATALINA_BASE/bin/setenv.sh (Debian's tomcat10: /var/lib/tomcat10/bin/setenv.sh,
# create the bin/ directory). Options here apply to Tomcat's JVM only, not to shutdown.sh.

# Heap: fixed, so that the size is known at start. 1 GB is a starting point for the default
# limits (kci.max.rows=10000, kci.max.operations=1000); raise it with those limits or with the
# number of concurrent requests. Each answer is held whole before it is sent, up to
# kci.batch.max.bytes (128 MiB) as sent; kci.heavy.batches (4) of the large ones run at once.
CATALINA_OPTS="$CATALINA_OPTS -Xms1g -Xmx1g"
# A JVM out of memory is not worth keeping: exit and let the service manager restart it.
CATALINA_OPTS="$CATALINA_OPTS -XX:+ExitOnOutOfMemoryError"
# Dates are UTC in the API whatever the host's zone; log in UTC too so that times agree.
CATALINA_OPTS="$CATALINA_OPTS -Duser.timezone=UTC -Dfile.encoding=UTF-8"
# Java 17 encapsulates the JDK's internals; Tomcat's memory-leak protection needs these
# packages opened. catalina.sh of Tomcat 10.1 adds them itself; they are repeated here
# (harmlessly) so that the options stay complete when copied to a launcher that does not use
# catalina.sh.
CATALINA_OPTS="$CATALINA_OPTS --add-opens=java.base/java.lang=ALL-UNNAMED"
CATALINA_OPTS="$CATALINA_OPTS --add-opens=java.base/java.io=ALL-UNNAMED"
CATALINA_OPTS="$CATALINA_OPTS --add-opens=java.base/java.util=ALL-UNNAMED"
CATALINA_OPTS="$CATALINA_OPTS --add-opens=java.base/java.util.concurrent=ALL-UNNAMED"
CATALINA_OPTS="$CATALINA_OPTS --add-opens=java.rmi/sun.rmi.transport=ALL-UNNAMED"
export CATALINA_OPTS
