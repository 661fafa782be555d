package ties.harness;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.harness.Neo4j;
import org.neo4j.harness.Neo4jBuilders;

/**
 * Runs a real Neo4j Community server (the official test harness, in-process) for the Python tests.
 *
 * <p>Usage, from tests/neo4j_harness: {@code java @jvm.args -cp
 * target/classes:$(cat target/classpath.txt) ties.harness.Launcher DIR [--exit-on-stdin-eof]}
 *
 * <p>Writes {@code DIR/bolt.uri} once the server accepts Bolt logins, then runs until
 * SIGTERM/SIGINT, until {@code DIR/stop} exists or, with {@code --exit-on-stdin-eof}, until stdin
 * is closed (so a parent killed with SIGKILL cannot leave an orphan JVM behind). Auth is enabled:
 * user {@code neo4j}, password from {@code NEO4J_PASSWORD} (default {@code ties-test-password}).
 */
public final class Launcher {
    private static final String DEFAULT_PASSWORD = "ties-test-password";
    private static final long POLL_MS = 200;

    private Launcher() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 1 || args.length > 2
                || (args.length == 2 && !args[1].equals("--exit-on-stdin-eof"))) {
            System.err.println("usage: Launcher DIR [--exit-on-stdin-eof]");
            System.exit(2);
        }
        Path dir = Path.of(args[0]).toAbsolutePath();
        boolean watchStdin = args.length == 2;
        String password = System.getenv().getOrDefault("NEO4J_PASSWORD", DEFAULT_PASSWORD);
        Files.createDirectories(dir);
        Path stopFile = dir.resolve("stop");

        Neo4j neo4j = Neo4jBuilders.newInProcessBuilder(dir.resolve("db"))
                // The harness defaults to auth off; we want wrong-password tests to be possible.
                .withConfig(GraphDatabaseSettings.auth_enabled, true)
                // Port 0: the kernel picks a free port, so parallel runs never collide.
                .withConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", 0))
                .withConfig(GraphDatabaseSettings.pagecache_memory, 64L * 1024 * 1024)
                // Throwaway databases: skip writing 250 MB of zeros per transaction log file.
                .withConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
                .withConfig(GraphDatabaseSettings.preallocate_store_files, false)
                .withConfig(GraphDatabaseSettings.udc_enabled, false)
                // Bolt's Netty shutdown otherwise idles ~10 s per stop waiting for quiet traffic.
                .withConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)
                .withConfig(GraphDatabaseInternalSettings.netty_server_shutdown_timeout,
                        Duration.ofSeconds(2))
                .withDisabledServer() // no HTTP/HTTPS connector: tests only speak Bolt
                .build();

        CountDownLatch closed = new CountDownLatch(1);
        AtomicBoolean closing = new AtomicBoolean(false);
        AtomicInteger exitCode = new AtomicInteger(0);
        Runnable closeOnce = () -> {
            if (closing.compareAndSet(false, true)) {
                try {
                    neo4j.close();
                } catch (RuntimeException e) {
                    e.printStackTrace();
                } finally {
                    closed.countDown();
                }
            } else {
                awaitQuietly(closed);
            }
        };
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            closeOnce.run();
            // A signal is our normal stop path, so report success rather than 128+signal.
            Runtime.getRuntime().halt(exitCode.get());
        }, "ties-harness-shutdown"));

        // Neo4j's threads are not daemons: without an explicit exit, a failure below would leave
        // a live JVM that never reports ready.
        try {
            // The default user starts as neo4j/neo4j with "change required"; embedded transactions
            // run with full access, so set the test password before any client can see the port.
            neo4j.databaseManagementService()
                    .database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME)
                    .executeTransactionally(
                            "ALTER USER neo4j SET PASSWORD $password CHANGE NOT REQUIRED",
                            Map.of("password", password));

            URI bolt = neo4j.boltURI();
            String uri = "bolt://" + bolt.getHost() + ":" + bolt.getPort();
            writeAtomically(dir.resolve("bolt.uri"), uri + "\n");
            System.out.println("ties-harness: Neo4j " + neo4jVersion() + " ready at " + uri);
            System.out.flush();

            if (watchStdin) {
                Thread watcher = new Thread(() -> {
                    try (InputStream in = System.in) {
                        while (in.read() != -1) {
                            // Discard input; only EOF matters.
                        }
                    } catch (IOException ignored) {
                        // A broken pipe means the parent is gone, same as EOF.
                    }
                    try {
                        Files.writeString(stopFile, "stdin closed\n");
                    } catch (IOException e) {
                        System.exit(0); // The shutdown hook still closes the server.
                    }
                }, "ties-harness-stdin");
                watcher.setDaemon(true);
                watcher.start();
            }

            while (!Files.exists(stopFile)) {
                Thread.sleep(POLL_MS);
            }
            System.out.println("ties-harness: stop file seen, shutting down");
            closeOnce.run();
            System.exit(0);
        } catch (Throwable t) {
            t.printStackTrace();
            exitCode.set(1);
            System.exit(1);
        }
    }

    private static void writeAtomically(Path target, String content) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        Files.move(
                tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static String neo4jVersion() {
        String v = Neo4j.class.getPackage().getImplementationVersion();
        return v != null ? v : "(unknown version)";
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
