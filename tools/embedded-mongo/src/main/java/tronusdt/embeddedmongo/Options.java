package tronusdt.embeddedmongo;

import java.nio.file.Path;
import java.util.Set;

/** The launcher's command line. */
record Options(String host, int port, Path dataDir, String backend, boolean fsync, boolean exitOnStdinClose,
               String logLevel, boolean help) {

    static final String USAGE = String.join("\n",
        "usage: java -jar embedded-mongo.jar [options]",
        "  --listen HOST:PORT       address to listen on (default 127.0.0.1:0, a free port)",
        "  --backend h2|memory      h2 keeps data in DIR/engine.mv.db (default h2); memory keeps nothing",
        "  --data-dir DIR           where the h2 backend keeps its file (default ./data/db)",
        "  --fsync                  force every commit to the disk, not only to the operating system",
        "  --exit-on-stdin-close    stop when standard input ends (the parent process died)",
        "  --log-level LEVEL        error, warn, info or debug, written to stderr (default warn)");

    private static final Set<String> LOG_LEVELS = Set.of("error", "warn", "info", "debug", "trace");

    static Options parse(String[] args) {
        String listen = "127.0.0.1:0";
        Path dataDir = Path.of("data", "db");
        String backend = "h2";
        boolean fsync = false;
        boolean exitOnStdinClose = false;
        String logLevel = "warn";
        boolean help = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--listen" -> listen = value(args, ++i, "--listen");
                case "--data-dir" -> dataDir = Path.of(value(args, ++i, "--data-dir")).toAbsolutePath();
                case "--backend" -> backend = value(args, ++i, "--backend");
                case "--fsync" -> fsync = true;
                case "--exit-on-stdin-close" -> exitOnStdinClose = true;
                case "--log-level" -> logLevel = value(args, ++i, "--log-level");
                case "--help", "-h" -> help = true;
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (!backend.equals("h2") && !backend.equals("memory")) {
            throw new IllegalArgumentException("--backend must be h2 or memory, not " + backend);
        }
        if (!LOG_LEVELS.contains(logLevel)) {
            throw new IllegalArgumentException("--log-level must be one of " + LOG_LEVELS + ", not " + logLevel);
        }
        int colon = listen.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("--listen must be HOST:PORT, not " + listen);
        }
        int port;
        try {
            port = Integer.parseInt(listen.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--listen must be HOST:PORT, not " + listen);
        }
        return new Options(listen.substring(0, colon), port, dataDir, backend, fsync, exitOnStdinClose, logLevel,
            help);
    }

    private static String value(String[] args, int index, String option) {
        if (index >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[index];
    }
}
