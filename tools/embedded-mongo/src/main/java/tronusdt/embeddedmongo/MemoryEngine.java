package tronusdt.embeddedmongo;

import java.util.List;

import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import de.bwaldvogel.mongo.backend.memory.MemoryCollection;
import de.bwaldvogel.mongo.backend.memory.MemoryDatabase;
import de.bwaldvogel.mongo.bson.Document;
import io.netty.channel.Channel;

/**
 * mongo-java-server's in-memory backend whose unique indexes serve queries pinned by their field (see
 * {@link EqualityLookupIndex}), whose schema changes run alone (see {@link SchemaChangeGuard}) and whose
 * answers are copies, never stored documents that a concurrent update changes (see {@link SnapshotMemoryCollection}).
 */
final class MemoryEngine extends MemoryBackend {

    private final SchemaChangeGuard schemaChanges = new SchemaChangeGuard();

    @Override
    public Document handleCommand(Channel channel, String database, String command, Document query) {
        return schemaChanges.run(command, () -> super.handleCommand(channel, database, command, query));
    }

    @Override
    public MemoryDatabase openOrCreateDatabase(String databaseName) {
        return new Database(databaseName, getCursorRegistry());
    }

    private static final class Database extends MemoryDatabase {

        private CollectionPlanners<Integer> planners;

        Database(String databaseName, CursorRegistry cursorRegistry) {
            super(databaseName, cursorRegistry);
        }

        @Override
        protected MemoryCollection openOrCreateCollection(String collectionName, CollectionOptions options) {
            return new SnapshotMemoryCollection(this, collectionName, options, cursorRegistry);
        }

        @Override
        protected Index<Integer> openOrCreateUniqueIndex(String collectionName, String indexName, List<IndexKey> keys,
                                                        boolean sparse) {
            Index<Integer> index = super.openOrCreateUniqueIndex(collectionName, indexName, keys, sparse);
            return planners().unique(collectionName, index, keys, sparse);
        }

        @Override
        protected Index<Integer> openOrCreateSecondaryIndex(String collectionName, String indexName, List<IndexKey> keys,
                                                           boolean sparse) {
            return planners().secondary(collectionName, indexName, keys, sparse);
        }

        /** Made on first use: the super constructor opens a stored database's indexes before fields are set. */
        private CollectionPlanners<Integer> planners() {
            if (planners == null) {
                planners = new CollectionPlanners<>();
            }
            return planners;
        }
    }
}
