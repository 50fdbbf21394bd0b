package tronusdt.embeddedmongo;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.h2.H2Database;
import de.bwaldvogel.mongo.bson.Document;
import io.netty.channel.Channel;

/**
 * mongo-java-server's H2 backend, made durable per command: every command that may have changed data commits
 * the store to its file before the reply leaves, so a write the client was told about survives a SIGKILL of
 * this process. (H2's own auto-commit runs once a second in the background, which would lose the last second.)
 *
 * The store is opened with auto-commit off, which also removes H2's asynchronous write pipeline: with it on, a
 * background commit could take our change and still be writing when our own commit finds nothing left to do.
 * Commits take the store lock, so a command whose change was picked up by another thread's commit waits until
 * that commit is on file. Concurrent writers thereby share commits (group commit) instead of queueing one each.
 *
 * Auto-commit off also stops H2's housekeeping, and every commit writes a new chunk: without it the file grew by
 * about 17 KB per update, for good (475 MB after 30,000 updates of 1,000 documents). A housekeeping thread of our
 * own re-writes the live pages of sparse chunks, and a short retention lets the space of dead chunks be reused
 * (the same 30,000 updates then end at 48 MB, a size that depends on the write rate, not on history).
 * The retention guards against disk write reordering on power loss, which a killed process does not suffer
 * and which --fsync covers by forcing every commit.
 *
 * Its unique indexes also serve queries pinned by their field (see {@link EqualityLookupIndex}), schema
 * changes run alone (see {@link SchemaChangeGuard}), and a stored document is never changed, only replaced by
 * an updated copy (see {@link CopyOnWriteH2Collection}).
 */
final class DurableH2Backend extends H2Backend {

    /** Commands that never change data: they skip the commit, so reads never wait for the file. */
    private static final Set<String> READ_ONLY_COMMANDS = Set.of(
        "find", "getmore", "killcursors", "count", "distinct", "listcollections", "listindexes",
        "listdatabases", "ping", "hello", "ismaster", "buildinfo", "whatsmyuri", "serverstatus", "dbstats",
        "collstats", "getlasterror", "getparameter", "endsessions", "connectionstatus", "hostinfo", "getlog",
        "getcmdlineopts", "getfreemonitoringstatus", "explain");

    /**
     * How long dead chunks are kept before their space is reused (H2's default is 45 s). A read walks the map
     * version it started on, so this must outlast the longest read; 0 would keep the file smallest (14 MB instead
     * of 48 MB after 30,000 updates at 500/s) but could let a long scan meet a chunk already overwritten.
     */
    private static final int RETENTION_MS = 1_000;
    /** Chunks less full than this are re-written by the housekeeping. */
    private static final int TARGET_FILL_RATE = 50;
    /** At most this much is re-written per housekeeping round, so a round never holds commits up for long. */
    private static final int REWRITE_BYTES_PER_ROUND = 4 * 1024 * 1024;

    private final SchemaChangeGuard schemaChanges = new SchemaChangeGuard();
    private final MVStore store;
    private final boolean fsync;
    private final ScheduledExecutorService housekeeping = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "engine-housekeeping");
        thread.setDaemon(true);
        return thread;
    });

    private DurableH2Backend(MVStore store, boolean fsync) {
        super(store);
        this.store = store;
        this.fsync = fsync;
        store.setRetentionTime(RETENTION_MS);
        housekeeping.scheduleWithFixedDelay(this::compact, 1, 1, TimeUnit.SECONDS);
    }

    /**
     * @param file  the store file (created if missing)
     * @param fsync also force each commit to the disk (survives power loss, not only a killed process)
     */
    static DurableH2Backend open(Path file, boolean fsync) {
        MVStore store = new MVStore.Builder().fileName(file.toString()).autoCommitDisabled().open();
        return new DurableH2Backend(store, fsync);
    }

    @Override
    protected MongoDatabase openOrCreateDatabase(String databaseName) {
        // Called from H2Backend's constructor for stored databases, before this class's fields are set.
        return new Database(databaseName, getCursorRegistry());
    }

    @Override
    public Document handleCommand(Channel channel, String database, String command, Document query) {
        try {
            return schemaChanges.run(command, () -> super.handleCommand(channel, database, command, query));
        } finally {
            // Also after a failed command: an ordered insert that stopped at a duplicate keeps what came before.
            if (mayWrite(command, query)) {
                commit();
            }
        }
    }

    @Override
    public void commit() {
        store.commit();
        if (fsync) {
            store.sync();
        }
    }

    /** Re-writes the live pages of sparse chunks; the commit stores them, after which the old chunks are dead. */
    private void compact() {
        try {
            if (store.isClosed()) {
                return;
            }
            if (store.compact(TARGET_FILL_RATE, REWRITE_BYTES_PER_ROUND)) {
                commit();
            }
        } catch (RuntimeException e) {
            // Housekeeping is an optimisation: a failed round leaves the data as it was; the next one tries again.
            System.err.println("embedded-mongo: housekeeping failed: " + e);
        }
    }

    @Override
    public void close() {
        housekeeping.shutdownNow();
        super.close();
    }

    private static boolean mayWrite(String command, Document query) {
        String name = command.toLowerCase(Locale.ROOT);
        if (name.equals("aggregate")) {
            return writesOutput(query.get("pipeline"));
        }
        return !READ_ONLY_COMMANDS.contains(name);
    }

    /** An aggregation writes only through a final $out or $merge stage. */
    private static boolean writesOutput(Object pipeline) {
        if (!(pipeline instanceof List<?> stages)) {
            return false;
        }
        return stages.stream().anyMatch(stage -> stage instanceof Document document
            && (document.containsKey("$out") || document.containsKey("$merge")));
    }

    /**
     * An inner class so that it can reach the store while H2Database's constructor opens the stored collections,
     * before any field of this class is set (H2Backend's own store field is set by then).
     */
    private final class Database extends H2Database {

        /** H2Database's names for a collection's maps, which it does not expose; fixed since mongo-java-server 1.x. */
        private static final String DATA_MAP_PREFIX = "databases.";
        private static final String META_MAP_PREFIX = "meta.";

        private CollectionPlanners<Object> planners;

        Database(String databaseName, CursorRegistry cursorRegistry) {
            super(databaseName, getMvStore(), cursorRegistry);
        }

        @Override
        protected MongoCollection<Object> openOrCreateCollection(String collectionName, CollectionOptions options) {
            String fullName = getFullCollectionNamespace(collectionName);
            MVMap<Object, Document> dataMap = getMvStore().openMap(DATA_MAP_PREFIX + fullName);
            MVMap<String, Object> metaMap = getMvStore().openMap(META_MAP_PREFIX + fullName);
            return new CopyOnWriteH2Collection(this, collectionName, options, dataMap, metaMap, cursorRegistry);
        }

        @Override
        protected Index<Object> openOrCreateUniqueIndex(String collectionName, String indexName, List<IndexKey> keys,
                                                        boolean sparse) {
            Index<Object> index = super.openOrCreateUniqueIndex(collectionName, indexName, keys, sparse);
            return planners().unique(collectionName, index, keys, sparse);
        }

        @Override
        protected Index<Object> openOrCreateSecondaryIndex(String collectionName, String indexName, List<IndexKey> keys,
                                                           boolean sparse) {
            return planners().secondary(collectionName, indexName, keys, sparse);
        }

        /** Made on first use: the super constructor opens a stored database's indexes before fields are set. */
        private CollectionPlanners<Object> planners() {
            if (planners == null) {
                planners = new CollectionPlanners<>();
            }
            return planners;
        }
    }
}
