package tronusdt.embeddedmongo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;

/**
 * The embedded MongoDB-compatible engine for the service's embedded default and the tests: mongo-java-server
 * on H2 (a file under --data-dir, every acknowledged write committed before the reply) or in memory.
 *
 * Contract with the parent process (libs/database/src/embedded/embedded-mongo.ts): exactly one line on stdout
 * once connections are accepted,
 *
 *     {"event":"ready","uri":"mongodb://127.0.0.1:PORT/","pid":N,"backend":"h2"}
 *
 * and a clean stop on SIGINT/SIGTERM, or when standard input closes (with --exit-on-stdin-close) so that the
 * engine never outlives a parent that was killed with SIGKILL.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("embedded-mongo: " + e.getMessage());
            System.err.println(Options.USAGE);
            System.exit(2);
            return;
        }
        if (options.help()) {
            System.out.println(Options.USAGE);
            return;
        }
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", options.logLevel());

        MongoBackend backend = openBackend(options);
        MongoServer server = new MongoServer(backend);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            // Stop taking commands first, then close the store (a last commit), so no reply promises more.
            server.shutdownNow();
            backend.close();
            stopped.countDown();
        }, "embedded-mongo-shutdown"));

        server.bind(new InetSocketAddress(options.host(), options.port()));
        InetSocketAddress bound = server.getLocalAddress();
        System.out.println(String.format("{\"event\":\"ready\",\"uri\":\"mongodb://%s:%d/\",\"pid\":%d,\"backend\":\"%s\"}",
            bound.getAddress().getHostAddress(), bound.getPort(), ProcessHandle.current().pid(), options.backend()));
        System.out.flush();

        if (options.exitOnStdinClose()) {
            exitWhenClosed(System.in);
        }
    }

    private static MongoBackend openBackend(Options options) {
        if (options.backend().equals("memory")) {
            return new MemoryEngine();
        }
        try {
            Files.createDirectories(options.dataDir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data directory " + options.dataDir(), e);
        }
        Path file = options.dataDir().resolve("engine.mv.db");
        return DurableH2Backend.open(file, options.fsync());
    }

    /** Blocks until the stream ends (the parent died or closed its end), then exits through the shutdown hook. */
    private static void exitWhenClosed(InputStream in) {
        byte[] sink = new byte[256];
        try {
            while (in.read(sink) >= 0) {
                // nothing: the parent never writes; we only wait for the end of the stream
            }
        } catch (IOException ignored) {
            // a broken pipe means the same as an end of stream
        }
        System.exit(0);
    }
}
